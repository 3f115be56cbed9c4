#pragma once
// Copies of the posts a reader hands over one at a time (each valid only during its visit), kept
// for Analyzer::AnalyzeBatch. A copy owns its chat name, which readers of JSON Lines and CSV
// keep in a buffer they reuse for the next post; `source` stays borrowed (readers point it at the
// file's name, which outlives the batch). Clear keeps every buffer, so that filling a batch of
// posts no longer than before allocates nothing. Not thread-safe: one per thread.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "outreach/post.hpp"

namespace uitweg::outreach {

class PostBatch {
 public:
  void Add(const Post& post) {
    if (size_ == posts_.size()) {
      posts_.emplace_back();
      chats_.emplace_back();
    }
    Post& copy = posts_[size_];
    copy.source = post.source;
    copy.message_id = post.message_id;
    copy.date_unix = post.date_unix;
    copy.text.assign(post.text);
    copy.author.assign(post.author);
    copy.entities.assign(post.entities.begin(), post.entities.end());
    chats_[size_].assign(post.chat);
    ++size_;
  }

  // The posts added since the last Clear, in order; valid until the next Add or Clear.
  std::span<const Post> posts() {
    // The chat views are set here, not in Add: chats_ may move its strings while it grows.
    for (std::size_t i = 0; i < size_; ++i) posts_[i].chat = chats_[i];
    return {posts_.data(), size_};
  }

  std::size_t size() const { return size_; }
  void Clear() { size_ = 0; }

 private:
  std::vector<Post> posts_;
  std::vector<std::string> chats_;
  std::size_t size_ = 0;
};

}  // namespace uitweg::outreach

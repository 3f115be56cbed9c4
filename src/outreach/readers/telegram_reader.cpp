#include "outreach/readers/telegram_reader.hpp"

#include <fmt/format.h>

#include "outreach/readers/input_file.hpp"
#include "outreach/readers/json_records.hpp"
#include "outreach/readers/json_scan.hpp"

namespace uitweg::outreach::readers {
namespace {

using json::kNotFound;

class Cutter {
 public:
  Cutter(const InputFile& file, std::deque<std::string>& chat_names, const BatchSink& sink)
      : file_(file), d_(file.data()), n_(file.size()), chat_names_(chat_names), sink_(sink) {}

  core::Status Run() {
    std::size_t pos = json::SkipWhitespace(d_, n_, 0);
    if (pos >= n_) return file_.ErrorAt(pos, "empty file");
    core::Result<std::size_t> end = 0;
    if (d_[pos] == '[') {
      end = CutElements(pos, {});
    } else if (d_[pos] == '{') {
      end = CutChat(pos, true);
      if (end && !found_ && !stopped_) {
        return file_.ErrorAt(pos, "not a Telegram export: no messages, chats or left_chats");
      }
    } else {
      return file_.ErrorAt(pos, "expected a JSON object or array");
    }
    if (!end) return end.error();
    if (stopped_) return {};
    pos = json::SkipWhitespace(d_, n_, *end);
    if (pos < n_) return file_.ErrorAt(pos, "unexpected data after the end of the export");
    return {};
  }

 private:
  core::Error Truncated(std::size_t at, std::string_view what) const {
    return file_.ErrorAt(at, fmt::format("{} never ends (truncated file?)", what));
  }

  core::Result<std::size_t> Skip(std::size_t pos) const {
    std::size_t end = json::ValueEnd(d_, n_, pos);
    if (end == kNotFound) return Truncated(pos, "value");
    return end;
  }

  // Calls member(key, value_pos) -> Result<value_end> for each member of the object at `pos`.
  template <class Member>
  core::Result<std::size_t> ForEachMember(std::size_t pos, Member&& member) {
    const std::size_t open = pos;
    pos = json::SkipWhitespace(d_, n_, pos + 1);
    if (pos < n_ && d_[pos] == '}') return pos + 1;
    for (;;) {
      if (pos >= n_) return Truncated(open, "object");
      if (d_[pos] != '"') return file_.ErrorAt(pos, "expected a key");
      const std::size_t key_end = json::StringEnd(d_, n_, pos);
      if (key_end == kNotFound) return Truncated(pos, "string");
      const std::string_view key(d_ + pos + 1, key_end - pos - 2);
      pos = json::SkipWhitespace(d_, n_, key_end);
      if (pos >= n_ || d_[pos] != ':') return file_.ErrorAt(pos, "expected ':' after a key");
      pos = json::SkipWhitespace(d_, n_, pos + 1);
      if (pos >= n_) return Truncated(open, "object");
      core::Result<std::size_t> value_end = member(key, pos);
      if (!value_end) return value_end.error();
      if (stopped_) return *value_end;
      pos = json::SkipWhitespace(d_, n_, *value_end);
      if (pos >= n_) return Truncated(open, "object");
      if (d_[pos] == '}') return pos + 1;
      if (d_[pos] != ',') return file_.ErrorAt(pos, "expected ',' or '}'");
      pos = json::SkipWhitespace(d_, n_, pos + 1);
    }
  }

  // A chat object, or the root of an export; only the root may hold chats and left_chats, which
  // also bounds the nesting of this recursion.
  core::Result<std::size_t> CutChat(std::size_t pos, bool root) {
    const std::string* name = nullptr;
    std::size_t deferred_messages = kNotFound;
    auto end =
        ForEachMember(pos, [&](std::string_view key, std::size_t at) -> core::Result<std::size_t> {
          if (key == "name" && d_[at] == '"') {
            const std::size_t end = json::StringEnd(d_, n_, at);
            if (end == kNotFound) return Truncated(at, "string");
            if (end - at > kMaxRecordBytes) return file_.ErrorAt(at, RecordTooLong("chat name"));
            auto decoded = DecodeJsonString(std::string_view(d_ + at, end - at));
            if (!decoded) return file_.ErrorAt(at, "malformed chat name");
            name = &chat_names_.emplace_back(std::move(*decoded));
            return end;
          }
          if (key == "messages" && d_[at] == '[') {
            found_ = true;
            // Telegram writes the name first; if it comes later, cut the messages afterwards.
            if (name != nullptr) return CutElements(at, *name);
            deferred_messages = at;
            return Skip(at);
          }
          if (root && (key == "chats" || key == "left_chats") && d_[at] == '{') {
            return CutChatList(at);
          }
          return Skip(at);
        });
    if (!end) return end;
    if (deferred_messages != kNotFound && !stopped_) {
      auto cut = CutElements(deferred_messages, name != nullptr ? std::string_view(*name) : "");
      if (!cut) return cut.error();
    }
    return end;
  }

  // {"about": ..., "list": [chat, ...]}
  core::Result<std::size_t> CutChatList(std::size_t pos) {
    return ForEachMember(pos,
                         [&](std::string_view key, std::size_t at) -> core::Result<std::size_t> {
                           if (key != "list" || d_[at] != '[') return Skip(at);
                           found_ = true;
                           const std::size_t open = at;
                           at = json::SkipWhitespace(d_, n_, at + 1);
                           if (at < n_ && d_[at] == ']') return at + 1;
                           for (;;) {
                             if (at >= n_) return Truncated(open, "chat list");
                             auto end = d_[at] == '{' ? CutChat(at, false) : Skip(at);
                             if (!end) return end;
                             if (stopped_) return *end;
                             at = json::SkipWhitespace(d_, n_, *end);
                             if (at >= n_) return Truncated(open, "chat list");
                             if (d_[at] == ']') return at + 1;
                             if (d_[at] != ',')
                               return file_.ErrorAt(at, "expected ',' or ']' in the chat list");
                             at = json::SkipWhitespace(d_, n_, at + 1);
                           }
                         });
  }

  // The elements of the array at `pos`, in batches of about kBatchBytes. On a truncation or a
  // malformed separator the whole elements before it are still delivered: they are worth reading.
  core::Result<std::size_t> CutElements(std::size_t pos, std::string_view chat) {
    found_ = true;
    const std::size_t open = pos;
    pos = json::SkipWhitespace(d_, n_, pos + 1);
    if (pos < n_ && d_[pos] == ']') return pos + 1;
    Batch batch{InputKind::telegram_json, &file_, chat, pos, pos, 0, nullptr};
    bool pending = false;
    auto deliver = [&] {
      if (pending && !sink_(batch)) stopped_ = true;
      pending = false;
    };
    for (;;) {
      if (pos >= n_) {
        deliver();
        return Truncated(open, "messages array");
      }
      const std::size_t end = json::ValueEnd(d_, n_, pos);
      if (end == kNotFound) {
        deliver();
        return Truncated(pos, "message");
      }
      if (!pending) batch.begin = pos;
      pending = true;
      batch.end = end;
      pos = json::SkipWhitespace(d_, n_, end);
      const bool last = pos < n_ && d_[pos] == ']';
      if (pos < n_ && !last && d_[pos] != ',') {
        deliver();
        return file_.ErrorAt(pos, "expected ',' or ']' after a message");
      }
      if (pos >= n_ || last || batch.end - batch.begin >= kBatchBytes) {
        deliver();
        if (stopped_) return pos;
      }
      if (pos >= n_) return Truncated(open, "messages array");
      if (last) return pos + 1;
      pos = json::SkipWhitespace(d_, n_, pos + 1);
    }
  }

  const InputFile& file_;
  const char* d_;
  std::size_t n_;
  std::deque<std::string>& chat_names_;
  const BatchSink& sink_;
  bool found_ = false;
  bool stopped_ = false;
};

}  // namespace

core::Status CutTelegramExport(const InputFile& file, std::deque<std::string>& chat_names,
                               const BatchSink& sink) {
  return Cutter(file, chat_names, sink).Run();
}

}  // namespace uitweg::outreach::readers

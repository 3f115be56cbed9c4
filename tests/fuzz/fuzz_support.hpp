#pragma once
// Shared by the fuzz targets: the libFuzzer entry point, and reading every batch of an input.

#include <cstddef>
#include <cstdint>

#include "outreach/readers/export_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace uitweg::fuzz {

// Keeps the optimiser from dropping work whose result is otherwise unused.
inline volatile std::size_t g_kept = 0;
inline void Keep(std::size_t value) {
  g_kept = value;
}

// Decodes every batch the cut produces and touches every field of every post, so that the
// sanitizers see each byte the readers hand out.
inline std::size_t DecodeAll(outreach::readers::BatchDecoder& decoder,
                             const outreach::readers::Batch& batch) {
  std::size_t bytes = 0;
  core::Status status = decoder.Decode(batch, [&](const outreach::Post& post) {
    bytes += post.text.size() + post.chat.size() + post.source.size();
    for (const outreach::Entity& entity : post.entities) {
      bytes += entity.type.size() + entity.text.size();
    }
    bytes += static_cast<std::size_t>(post.message_id != 0) + (post.date_unix != 0);
  });
  if (!status) bytes += status.error().message.size();
  return bytes;
}

}  // namespace uitweg::fuzz

// Fuzzes the JSON Lines reader: line cutting and record decoding.
#include <string_view>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  namespace readers = outreach::readers;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const readers::InputFile file = readers::InputFile::FromBytes("fuzz.jsonl", bytes);
  readers::BatchDecoder decoder;
  std::size_t seen = 0;
  core::Status cut =
      readers::CutLines(file, readers::InputKind::json_lines, [&](const readers::Batch& batch) {
        seen += fuzz::DecodeAll(decoder, batch);
        return true;
      });
  if (!cut) seen += cut.error().message.size();
  fuzz::Keep(seen);
  return 0;
}

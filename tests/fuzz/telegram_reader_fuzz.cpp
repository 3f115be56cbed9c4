// Fuzzes the Telegram export reader: cutting (the vectorised bracket scan) and decoding of the
// batches, then the same bytes through content detection and whichever reader it picks.
#include <deque>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "outreach/readers/telegram_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  namespace readers = outreach::readers;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const readers::InputFile file = readers::InputFile::FromBytes("fuzz.json", bytes);
  readers::BatchDecoder decoder;
  std::deque<std::string> chat_names;
  std::size_t seen = 0;
  core::Status cut = readers::CutTelegramExport(file, chat_names, [&](const readers::Batch& batch) {
    if (batch.begin > batch.end || batch.end > file.size()) __builtin_trap();
    seen += fuzz::DecodeAll(decoder, batch);
    return true;
  });
  if (!cut) seen += cut.error().message.size();
  core::Status read =
      readers::ReadExport(file, [&](const outreach::Post& post) { seen += post.text.size(); });
  if (!read) seen += read.error().message.size();
  fuzz::Keep(seen);
  return 0;
}

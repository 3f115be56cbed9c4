// Fuzzes the Telegram export reader: cutting (the vectorised bracket scan) and decoding of the
// batches, then the same bytes through content detection and whichever reader it picks.
#include <deque>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "outreach/telegram_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const outreach::InputFile file = outreach::InputFile::FromBytes("fuzz.json", bytes);
  outreach::BatchDecoder decoder;
  std::deque<std::string> chat_names;
  std::size_t seen = 0;
  core::Status cut =
      outreach::CutTelegramExport(file, chat_names, [&](const outreach::Batch& batch) {
        if (batch.begin > batch.end || batch.end > file.size()) __builtin_trap();
        seen += fuzz::DecodeAll(decoder, batch);
        return true;
      });
  if (!cut) seen += cut.error().message.size();
  core::Status read =
      outreach::ReadExport(file, [&](const outreach::Post& post) { seen += post.text.size(); });
  if (!read) seen += read.error().message.size();
  fuzz::Keep(seen);
  return 0;
}

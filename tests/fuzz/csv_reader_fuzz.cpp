// Fuzzes the CSV reader: header detection, quote-aware row cutting and field decoding, with the
// detected layout and with a fixed one (so that inputs without a valid header reach the rows).
#include <string_view>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  namespace readers = outreach::readers;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const readers::InputFile file = readers::InputFile::FromBytes("fuzz.csv", bytes);
  readers::BatchDecoder decoder;
  std::size_t seen = 0;
  auto sink = [&](const readers::Batch& batch) {
    seen += fuzz::DecodeAll(decoder, batch);
    return true;
  };
  if (std::optional<readers::CsvLayout> layout = readers::DetectCsvHeader(file.bytes())) {
    if (layout->body_begin > file.size()) __builtin_trap();
    core::Status cut = readers::CutCsv(file, *layout, sink);
    if (!cut) seen += cut.error().message.size();
  }
  readers::CsvLayout fixed;
  fixed.delimiter = size > 0 && data[0] == ';' ? ';' : ',';
  fixed.text_column = 2;
  fixed.id_column = 0;
  fixed.date_column = 1;
  fixed.chat_column = 3;
  fixed.body_begin = 0;
  fixed.body_line = 1;
  core::Status cut = readers::CutCsv(file, fixed, sink);
  if (!cut) seen += cut.error().message.size();
  fuzz::Keep(seen);
  return 0;
}

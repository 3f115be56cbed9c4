#include "qr/qr_code.hpp"

#include <gtest/gtest.h>

namespace uitweg::qr {
namespace {

constexpr std::string_view kUri =
    "otpauth://totp/Uitweg:anna?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Uitweg"
    "&algorithm=SHA1&digits=6&period=30";

TEST(QrCodeTest, EncodesAnEnrolmentUriWithItsFinderPatterns) {
  const QrCode code = QrCode::Encode(kUri).value();
  EXPECT_EQ((code.size() - 17) % 4, 0);  // versions are 21, 25, 29, ... modules wide
  EXPECT_GE(code.size(), 33);
  // The three finder patterns: a dark 7x7 ring with a dark 3x3 centre, light between.
  for (auto [ox, oy] :
       {std::pair{0, 0}, std::pair{code.size() - 7, 0}, std::pair{0, code.size() - 7}}) {
    for (int i = 0; i < 7; ++i) {
      EXPECT_TRUE(code.Dark(ox + i, oy));
      EXPECT_TRUE(code.Dark(ox + i, oy + 6));
      EXPECT_TRUE(code.Dark(ox, oy + i));
      EXPECT_TRUE(code.Dark(ox + 6, oy + i));
    }
    EXPECT_FALSE(code.Dark(ox + 1, oy + 1));
    EXPECT_TRUE(code.Dark(ox + 3, oy + 3));
  }
}

TEST(QrCodeTest, SvgDrawsEveryDarkModuleAndEscapesItsLabel) {
  const QrCode code = QrCode::Encode("hello").value();
  int dark = 0;
  for (int y = 0; y < code.size(); ++y) {
    for (int x = 0; x < code.size(); ++x) dark += code.Dark(x, y) ? 1 : 0;
  }
  const std::string svg = code.Svg("code for <anna> & \"co\"");
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 29 29\""));
  EXPECT_NE(svg.find("aria-label=\"code for &lt;anna&gt; &amp; &quot;co&quot;\""),
            std::string::npos);
  std::size_t squares = 0;
  for (std::size_t at = svg.find("h1v1h-1z"); at != std::string::npos;
       at = svg.find("h1v1h-1z", at + 1)) {
    ++squares;
  }
  EXPECT_EQ(squares, static_cast<std::size_t>(dark));
}

TEST(QrCodeTest, TerminalTextHasTwoModuleRowsPerLine) {
  const QrCode code = QrCode::Encode("hello").value();
  const std::string text = code.TerminalText();
  const int side = code.size() + 8;
  int lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, (side + 1) / 2);
  // The first line is quiet zone only: full blocks, each three bytes in UTF-8.
  EXPECT_EQ(text.find('\n'), static_cast<std::size_t>(side * 3));
}

TEST(QrCodeTest, RefusesWhatDoesNotFit) {
  EXPECT_EQ(QrCode::Encode(std::string(4000, 'x')).error().code, core::Errc::invalid_argument);
}

}  // namespace
}  // namespace uitweg::qr

#pragma once
// A QR code for a short text, such as the otpauth:// URI of a TOTP enrolment, drawn as SVG for
// the console (the server renders it, so no script from elsewhere is needed) or as block
// characters for a terminal. libqrencode does the encoding; this module is its only user.
//
// Plain values; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace uitweg::qr {

class QrCode {
 public:
  // Error correction level M (15 %), the version as small as the text allows. invalid_argument
  // when the text is too long for any QR code.
  static core::Result<QrCode> Encode(std::string_view text);

  int size() const { return size_; }  // modules per side, without the quiet zone
  bool Dark(int x, int y) const { return modules_[static_cast<std::size_t>(y * size_ + x)]; }

  // An <svg> element: black modules on white with the four-module quiet zone, scalable, labelled
  // with `label` for screen readers.
  std::string Svg(std::string_view label) const;

  // Lines of half-block characters (two module rows per line) as `qrencode -t UTF8` draws
  // them: light modules are drawn, for a terminal with a dark background.
  std::string TerminalText() const;

 private:
  QrCode(int size, std::vector<bool> modules) : size_(size), modules_(std::move(modules)) {}

  int size_;
  std::vector<bool> modules_;  // row by row
};

}  // namespace uitweg::qr

#include "qr/qr_code.hpp"

#include <qrencode.h>

#include <memory>

namespace uitweg::qr {
namespace {

constexpr int kQuietZone = 4;

std::string EscapeXml(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

core::Result<QrCode> QrCode::Encode(std::string_view text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) {
    return core::Fail(core::Errc::invalid_argument, "the text does not fit in a QR code");
  }
  std::vector<bool> modules(static_cast<std::size_t>(code->width * code->width));
  for (std::size_t i = 0; i < modules.size(); ++i) modules[i] = (code->data[i] & 1) != 0;
  return QrCode(code->width, std::move(modules));
}

std::string QrCode::Svg(std::string_view label) const {
  const int side = size_ + 2 * kQuietZone;
  std::string path;
  for (int y = 0; y < size_; ++y) {
    for (int x = 0; x < size_; ++x) {
      if (!Dark(x, y)) continue;
      path +=
          "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h1v1h-1z";
    }
  }
  const std::string box = std::to_string(side);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + box + " " + box +
         "\" role=\"img\" aria-label=\"" + EscapeXml(label) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + box + "\" height=\"" + box +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

std::string QrCode::TerminalText() const {
  // Outside the code (the quiet zone) everything is light.
  const auto light = [this](int x, int y) {
    return x < 0 || y < 0 || x >= size_ || y >= size_ || !Dark(x, y);
  };
  std::string out;
  for (int y = -kQuietZone; y < size_ + kQuietZone; y += 2) {
    for (int x = -kQuietZone; x < size_ + kQuietZone; ++x) {
      const bool top = light(x, y);
      const bool bottom = light(x, y + 1);
      if (top && bottom) {
        out += "\u2588";  // full block
      } else if (top) {
        out += "\u2580";  // upper half block
      } else if (bottom) {
        out += "\u2584";  // lower half block
      } else {
        out += " ";
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace uitweg::qr

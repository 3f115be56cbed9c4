// Fuzzes the decoding of what clients send on the two WebSockets (api/frames.hpp): a visitor's
// frames, which anyone may send without an account, and a signed-in staff member's. The first
// byte picks the decoder. Every input decodes to a frame or fails with invalid_argument; the
// `ref` echoed back in an error is valid UTF-8 of at most 64 bytes; numbers decoded are within
// the ranges the protocol gives them.
#include <string>
#include <string_view>
#include <variant>

#include "api/frames.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"
#include "model/conversation.hpp"

namespace {

using namespace uitweg;

void CheckRef(const std::string& ref) {
  if (ref.size() > 64 || core::InvalidUtf8Offset(ref) != ref.size()) __builtin_trap();
}

template <typename Frame>
void CheckFailure(const core::Result<Frame>& frame) {
  if (!frame && frame.error().code != core::Errc::invalid_argument) __builtin_trap();
}

void CheckVisitor(std::string_view text) {
  std::string ref;
  const core::Result<api::VisitorFrame> frame = api::DecodeVisitorFrame(text, ref);
  CheckRef(ref);
  CheckFailure(frame);
  if (!frame) return;
  if (const auto* hello = std::get_if<api::HelloFrame>(&*frame); hello && hello->last_seq < 0) {
    __builtin_trap();
  }
  if (const auto* consent = std::get_if<api::ConsentFrame>(&*frame);
      consent && consent->request_seq < 0) {
    __builtin_trap();
  }
}

void CheckStaff(std::string_view text) {
  std::string ref;
  const core::Result<api::StaffFrame> frame = api::DecodeStaffFrame(text, ref);
  CheckRef(ref);
  CheckFailure(frame);
  if (!frame) return;
  if (const auto* mark = std::get_if<api::MarkFrame>(&*frame);
      mark && (mark->urgency < model::kUrgencyNormal || mark->urgency > model::kUrgencyUrgent)) {
    __builtin_trap();
  }
  if (const auto* monitor = std::get_if<api::MonitorFrame>(&*frame);
      monitor && (monitor->last_seq < 0 || monitor->since < 0)) {
    __builtin_trap();
  }
  if (const auto* subscribe = std::get_if<api::SubscribeFrame>(&*frame);
      subscribe && subscribe->last_seq < 0) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    CheckVisitor(text);
  } else {
    CheckStaff(text);
  }
  fuzz::Keep(text.size());
  return 0;
}

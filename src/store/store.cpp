#include "store/store.hpp"

#include <array>
#include <utility>

namespace uitweg::store {
namespace {

// Each enum's names in declaration order; the stored and wire form of its values.
constexpr std::array kRoleNames = {std::pair{Role::counsellor, std::string_view("counsellor")},
                                   std::pair{Role::supervisor, std::string_view("supervisor")},
                                   std::pair{Role::analyst, std::string_view("analyst")},
                                   std::pair{Role::admin, std::string_view("admin")}};
constexpr std::array kStatusNames = {
    std::pair{ConversationStatus::waiting, std::string_view("waiting")},
    std::pair{ConversationStatus::active, std::string_view("active")},
    std::pair{ConversationStatus::ended, std::string_view("ended")}};
constexpr std::array kSubjectNames = {std::pair{Subject::self, std::string_view("self")},
                                      std::pair{Subject::other, std::string_view("other")}};
constexpr std::array kSenderNames = {std::pair{Sender::visitor, std::string_view("visitor")},
                                     std::pair{Sender::counsellor, std::string_view("counsellor")},
                                     std::pair{Sender::system, std::string_view("system")}};
constexpr std::array kKindNames = {std::pair{MessageKind::text, std::string_view("text")},
                                   std::pair{MessageKind::accepted, std::string_view("accepted")},
                                   std::pair{MessageKind::ended, std::string_view("ended")}};

template <class Enum, std::size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& names,
                        Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "unknown";
}

template <class Enum, std::size_t N>
bool Parse(const std::array<std::pair<Enum, std::string_view>, N>& names, std::string_view text,
           Enum& out) {
  for (const auto& [candidate, name] : names) {
    if (name == text) {
      out = candidate;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view RoleName(Role role) { return NameOf(kRoleNames, role); }
bool ParseRole(std::string_view text, Role& out) { return Parse(kRoleNames, text, out); }

std::string_view ConversationStatusName(ConversationStatus status) {
  return NameOf(kStatusNames, status);
}
bool ParseConversationStatus(std::string_view text, ConversationStatus& out) {
  return Parse(kStatusNames, text, out);
}

std::string_view SubjectName(Subject subject) { return NameOf(kSubjectNames, subject); }
bool ParseSubject(std::string_view text, Subject& out) { return Parse(kSubjectNames, text, out); }

std::string_view SenderName(Sender sender) { return NameOf(kSenderNames, sender); }
bool ParseSender(std::string_view text, Sender& out) { return Parse(kSenderNames, text, out); }

std::string_view MessageKindName(MessageKind kind) { return NameOf(kKindNames, kind); }
bool ParseMessageKind(std::string_view text, MessageKind& out) {
  return Parse(kKindNames, text, out);
}

void Store::AppendMessageAsync(NewMessage message, AppendDone done) {
  done(AppendMessage(message));
}

}  // namespace uitweg::store

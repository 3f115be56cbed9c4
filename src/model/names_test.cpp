#include <gtest/gtest.h>

#include "model/conversation.hpp"
#include "model/message.hpp"
#include "model/staff.hpp"

namespace uitweg::model {
namespace {

template <class Enum>
void ExpectRoundTrip(std::initializer_list<Enum> values, std::string_view (*name)(Enum),
                     bool (*parse)(std::string_view, Enum&)) {
  for (Enum value : values) {
    Enum parsed{};
    ASSERT_TRUE(parse(name(value), parsed)) << name(value);
    EXPECT_EQ(parsed, value);
  }
  Enum untouched = *values.begin();
  EXPECT_FALSE(parse("", untouched));
  EXPECT_FALSE(parse("Waiting", untouched));
}

TEST(NamesTest, EveryNameParsesBackToItsValue) {
  ExpectRoundTrip({Role::counsellor, Role::supervisor, Role::analyst, Role::admin}, RoleName,
                  ParseRole);
  ExpectRoundTrip(
      {ConversationStatus::waiting, ConversationStatus::active, ConversationStatus::ended},
      ConversationStatusName, ParseConversationStatus);
  ExpectRoundTrip({Subject::self, Subject::other}, SubjectName, ParseSubject);
  ExpectRoundTrip({EndReason::visitor, EndReason::counsellor, EndReason::abandoned}, EndReasonName,
                  ParseEndReason);
  ExpectRoundTrip({Sender::visitor, Sender::counsellor, Sender::system}, SenderName, ParseSender);
  ExpectRoundTrip({MessageKind::text, MessageKind::accepted, MessageKind::ended}, MessageKindName,
                  ParseMessageKind);
}

TEST(NamesTest, NamesAreTheStoredAndWireSpelling) {
  EXPECT_EQ(RoleName(Role::supervisor), "supervisor");
  EXPECT_EQ(EndReasonName(EndReason::abandoned), "abandoned");
  EXPECT_EQ(MessageKindName(MessageKind::accepted), "accepted");
}

}  // namespace
}  // namespace uitweg::model

// Signals between the two sides of a chat, stored nowhere: each sees when the other types (never
// what), and the counsellor sees whether the visitor is still on the page.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using SignalsTest = ServerTest;

TEST_F(SignalsTest, EachSideSeesTheOtherTypeButNotWhat) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  // The console follows the conversation once it is told of the visitor's presence.
  ASSERT_TRUE(chat.counsellor.ws.Take("presence"));
  ASSERT_TRUE(chat.visitor.ws.Send({{"type", "typing"}}));
  auto typing = chat.counsellor.ws.Take("typing");
  ASSERT_TRUE(typing) << typing.error().message;
  EXPECT_EQ(Str(*typing, "conversation_id"), chat.id);
  EXPECT_EQ(Str(*typing, "from"), "visitor");
  EXPECT_EQ(typing->size(), 3u) << "nothing of what is typed";

  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "typing"}, {"conversation_id", chat.id}}));
  auto typed = chat.visitor.ws.Take("typing");
  ASSERT_TRUE(typed) << typed.error().message;
  EXPECT_EQ(Str(*typed, "from"), "counsellor");

  // Typing in a conversation that is not one's own tells nothing to anyone.
  Visitor other = NewVisitor("Bo");
  ASSERT_TRUE(chat.counsellor.ws.Send(
      {{"type", "typing"}, {"conversation_id", other.conversation.conversation_id}}));
  EXPECT_EQ(NextErrorCode(chat.counsellor.ws), "not_found");
  EXPECT_FALSE(other.ws.Take("typing", 500ms)) << "the other visitor hears nothing";
}

TEST_F(SignalsTest, TheCounsellorSeesTheVisitorLeaveAndComeBack) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  auto here = chat.counsellor.ws.Take("presence");
  ASSERT_TRUE(here) << here.error().message;
  EXPECT_EQ(Str(*here, "visitor"), "connected") << "told at the accept";

  chat.visitor.ws.Abort();  // the tab closes
  auto left = chat.counsellor.ws.Take("presence");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_EQ(Str(*left, "visitor"), "left");
  EXPECT_GT(Int(*left, "at"), 0);

  auto back = ConnectVisitor(server_.port(), chat.visitor.conversation.resume_token);
  ASSERT_TRUE(back) << back.error().message;
  auto again = chat.counsellor.ws.Take("presence");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(Str(*again, "visitor"), "connected");
}

}  // namespace
}  // namespace uitweg::support

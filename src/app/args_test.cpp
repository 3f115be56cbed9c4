#include "app/args.hpp"

#include <gtest/gtest.h>

namespace uitweg::app {
namespace {

core::Result<Args> ParseWords(std::vector<std::string> words,
                              Positionals positionals = Positionals::refused) {
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  return Args::Parse(static_cast<int>(argv.size()), argv.data(), {"listen", "data"}, {"help"},
                     positionals);
}

TEST(ArgsTest, ReadsValuesInBothForms) {
  core::Result<Args> args = ParseWords({"--listen", "127.0.0.1:0", "--data=/tmp/x", "--help"});
  ASSERT_TRUE(args);
  EXPECT_EQ(args->Get("listen"), "127.0.0.1:0");
  EXPECT_EQ(args->Get("data"), "/tmp/x");
  EXPECT_TRUE(args->Has("help"));
  EXPECT_FALSE(args->Get("config"));
}

TEST(ArgsTest, ErrorsNameTheFlag) {
  EXPECT_EQ(ParseWords({"--colour", "red"}).error().message, "unknown option --colour");
  EXPECT_EQ(ParseWords({"--listen"}).error().message, "--listen needs a value");
  EXPECT_EQ(ParseWords({"--help=yes"}).error().message, "--help takes no value");
  EXPECT_EQ(ParseWords({"serve"}).error().message, "unexpected argument 'serve'");
  EXPECT_EQ(ParseWords({"postgresql://uitweg:geheim@db/uitweg"}).error().message,
            "unexpected argument 'postgresql://…'")
      << "a password in a URL is not echoed";
}

TEST(ArgsTest, CollectsPositionalArgumentsInOrderBetweenFlags) {
  core::Result<Args> args = ParseWords(
      {"a.json", "--listen", "127.0.0.1:0", "-", "--help", "-x", "b.csv"}, Positionals::collected);
  ASSERT_TRUE(args);
  EXPECT_EQ(args->positional(), (std::vector<std::string>{"a.json", "-", "-x", "b.csv"}));
  EXPECT_EQ(args->Get("listen"), "127.0.0.1:0");
  EXPECT_TRUE(args->Has("help"));
}

TEST(ArgsTest, EverythingAfterDoubleDashIsPositional) {
  core::Result<Args> args = ParseWords({"--data", "/tmp/x", "--", "--help", "--colour", "--", "a"},
                                       Positionals::collected);
  ASSERT_TRUE(args);
  EXPECT_EQ(args->positional(), (std::vector<std::string>{"--help", "--colour", "--", "a"}));
  EXPECT_EQ(args->Get("data"), "/tmp/x");
  EXPECT_FALSE(args->Has("help"));
}

TEST(ArgsTest, AValueMayLookLikeAFlagOrDoubleDash) {
  core::Result<Args> args =
      ParseWords({"--data", "--", "--listen", "--help"}, Positionals::collected);
  ASSERT_TRUE(args);
  EXPECT_EQ(args->Get("data"), "--");
  EXPECT_EQ(args->Get("listen"), "--help");
  EXPECT_FALSE(args->Has("help"));
  EXPECT_TRUE(args->positional().empty());
}

TEST(ArgsTest, PositionalArgumentsAreRefusedUnlessCollected) {
  ASSERT_TRUE(ParseWords({"--help", "--"}));
  EXPECT_TRUE(ParseWords({"--help", "--"})->positional().empty());
  EXPECT_EQ(ParseWords({"--", "--help"}).error().message, "unexpected argument '--help'");
  EXPECT_EQ(ParseWords({"a.json", "--colour"}, Positionals::collected).error().message,
            "unknown option --colour");
}

}  // namespace
}  // namespace uitweg::app

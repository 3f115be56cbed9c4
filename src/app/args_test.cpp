#include "app/args.hpp"

#include <gtest/gtest.h>

namespace uitweg::app {
namespace {

core::Result<Args> ParseWords(std::vector<std::string> words) {
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  return Args::Parse(static_cast<int>(argv.size()), argv.data(), {"listen", "data"}, {"help"});
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
}

}  // namespace
}  // namespace uitweg::app

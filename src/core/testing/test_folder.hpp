#pragma once
// For tests: an empty folder of the running test's own, named after the process and the test so
// that tests running at once never share one, and removed again when the object goes.

#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace uitweg::core::testing {

class TestFolder {
 public:
  explicit TestFolder(std::string_view prefix)
      : path_(std::filesystem::temp_directory_path() /
              ("uitweg-" + std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    Empty();
  }
  ~TestFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TestFolder(const TestFolder&) = delete;
  TestFolder& operator=(const TestFolder&) = delete;

  // Removes everything in it.
  void Empty() {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace uitweg::core::testing

#pragma once
// The registration a counsellor completes after a conversation: its form is data (a TOML file,
// forms/registration.toml, read by app/registration_form.hpp), its answers are option ids per
// field, kept with the conversation id and nothing of what was said.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace uitweg::model {

enum class FieldType { choice, choices, place };

struct LabelText {
  std::string nl = {};
  std::string en = {};
};

struct FieldOption {
  std::string id = {};
  LabelText label = {};
};

struct FormField {
  std::string id = {};
  FieldType type = FieldType::choice;
  bool required = false;
  LabelText label = {};
  std::vector<FieldOption> options = {};  // empty for a place
};

struct RegistrationForm {
  std::int64_t version = 1;
  std::vector<FormField> fields = {};
};

// The answers the insights funnel counts (store/insights_sql.cpp, insights/dashboard.cpp): a
// "yes" to criminal involvement, then to signals of exploitation. An organisation's own form
// keeps these ids for the funnel to count them.
inline constexpr std::string_view kFunnelAnswerYes = "yes";
inline constexpr std::string_view kFunnelFields[] = {"criminal_involvement",
                                                     "exploitation_signals"};
// The funnel fields that `form` lacks, or holds without a "yes" option: steps that count nothing.
std::vector<std::string_view> MissingFunnelFields(const RegistrationForm& form);

// Per field id, the chosen option ids (one for a choice, any for choices) or the place.
using Answers = std::map<std::string, std::vector<std::string>, std::less<>>;

inline constexpr std::size_t kMaxPlaceChars = 60;

// A place (a municipality) as registrations and partners name it: Latin letters with their
// accents, spaces, hyphens and apostrophes, with at least one letter, at most kMaxPlaceChars.
bool IsPlace(std::string_view text);
// `text` without spaces at either end and with one space wherever it had several, so that
// "Den  Haag " counts with "Den Haag".
std::string TidyPlace(std::string_view text);

struct Registration {
  std::string conversation_id = {};
  std::int64_t counsellor_id = 0;  // who filled it in
  Answers answers = {};
  bool complete = false;  // false: saved to finish later
  std::int64_t form_version = 1;
  core::UnixMillis updated_at = 0;
};

}  // namespace uitweg::model

#pragma once
// What a registration may hold: only the form's fields and options (a place as letters, spaces,
// hyphens and apostrophes, at most kMaxPlaceChars), one option for a choice; and, to be
// complete, an answer to every required field. invalid_argument naming the field otherwise.

#include "core/error.hpp"
#include "model/registration.hpp"

namespace uitweg::chat {

core::Status CheckAnswers(const model::RegistrationForm& form, const model::Answers& answers,
                          bool complete);

// What of answers saved under an earlier form the form still holds: fields it dropped and
// options no longer among a field's go, so that the registration can be finished (CheckAnswers
// refuses them, and the console draws no box to untick them).
model::Answers OnForm(const model::RegistrationForm& form, model::Answers answers);

// `answers` sent to change a registration stored as `stored`, without what the form no longer
// holds and `stored` held: a registration completed under an earlier form comes back with its
// answers, and only those are dropped; anything else off the form is still for CheckAnswers to
// refuse.
model::Answers WithoutCarriedOver(const model::RegistrationForm& form, model::Answers answers,
                                  const model::Answers& stored);

}  // namespace uitweg::chat

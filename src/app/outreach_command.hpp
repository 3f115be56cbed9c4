#pragma once
// `uitweg outreach train LABELLED.jsonl... [--lexicon FILE] [--out FILE] [--help]`: trains the
// learned scorer (outreach/text_model_training.hpp) on labelled posts and writes the model file
// (default model/nl-recruitment.model). Each line of the input is a JSON object with "text" and
// either "label" (1 recruitment, 0 not) or "verdict" ("recruitment", "not"; "unsure" is left
// out), and optionally "author". Lines whose "set" is "heldout" are never trained on: they are
// counted and skipped, so a frozen evaluation split stays unseen. argv[0] is "outreach".
// Prints what it read and the cross-validated precision and recall to stdout.
// Exit status: 0 success, 1 unreadable input or a model that cannot be written, 2 usage error.

namespace uitweg::app {

int RunOutreachCommand(int argc, char** argv);

}  // namespace uitweg::app

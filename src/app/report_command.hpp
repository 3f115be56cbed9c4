#pragma once
// `uitweg report --partner NAME --from DATE --to DATE [--format csv|html] [--out FILE]
// [--config FILE] [--data DIR] [--database URL]`: a partner's report (docs/insights.md), as the
// console's analysts get it, for scheduled use: suppressed and rounded with the configuration's
// [insights] rules, guarded by the partner's earlier reports, logged among them and audited as
// `insights_report`. Writes to FILE or standard output. Exit 0 on success; 1 when the database
// cannot be read or the partner is unknown; 2 for usage errors.

namespace uitweg::app {

int RunReportCommand(int argc, char** argv);

}  // namespace uitweg::app

// The batch report of `istd ingest --report FILE`: one self-contained HTML page on what a batch
// did: messages accepted, rejected, quarantined and duplicate per message type, the retours
// written, and every finding grouped by rule code with its explanation from the catalogue.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/explain/catalogue.hpp"
#include "core/finding.hpp"

namespace istd::report {

struct BatchItem {
  std::string source;         ///< file name as given
  std::string type;           ///< "WMO305", "" when unknown
  std::string identificatie;  ///< header Identificatie, "" when not read
  enum class Verdict {
    accepted,
    rejected,
    quarantined,
    duplicate,
    unreadable
  } verdict = Verdict::accepted;
  std::string route, retour;  ///< paths as printed ("" when none)
  std::vector<Finding> findings;
  std::string error;  ///< unreadable input: why
};

struct BatchReportOptions {
  explain::Lang lang = explain::Lang::nl;
  std::size_t max_rows = 500;  ///< messages listed per rule code
  std::string generated_on;    ///< YYYY-MM-DD (the date of receipt)
  std::string ledger;          ///< the ledger file, shown in the header
};

std::string batch_report_html(const std::vector<BatchItem>& items,
                              const BatchReportOptions& options);

}  // namespace istd::report

// Stage 4 of the ingest pipeline (ingest.hpp): what is written for a judged message, inside the
// batch transaction: the input's row (verdict, level, findings, route), for a 323 its
// declaration and prestaties, for an answered heenbericht its retour (302/306/308/316/318/320:
// built here from the decision's codes, numbered after the input's row). Returns the outcome and
// the files to show once the transaction is committed (materialise.hpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ingest/ingest_options.hpp"
#include "core/ingest/judge.hpp"
#include "core/ingest/outcome.hpp"
#include "core/ingest/prepare.hpp"
#include "core/ledger/ledger.hpp"
#include "core/output/routed_files.hpp"

namespace istd {
class SchemaBundle;
}

namespace istd::ingest {

struct Recorded {
  Outcome outcome;
  std::vector<output::RoutedFile> files;  ///< the input's file and its retour's
  /// An over-size input's quarantine file: its bytes are streamed from the ledger after the
  /// commit (`bytes` is empty), with its `.reason`.
  std::optional<output::RoutedFile> large;
};

/// Records `decision` on the message `result` describes. `schemas` gives the XsdVersie of the
/// retours (1.0.0 when null). @throws RuntimeError on database failure.
Recorded record(ledger::Ledger& ledger, Prepared& input, ValidationResult&& result,
                Decision&& decision, const Options& options, const SchemaBundle* schemas);

/// Records an input over the size limit: a duplicate when an earlier input had the same bytes,
/// otherwise quarantined byte for byte, stored from the open file in pieces (nothing recorded,
/// Outcome::error, when the file changed or cannot be read). @throws RuntimeError on database
/// failure.
Recorded record_large(ledger::Ledger& ledger, const LargeInput& input, ValidationResult&& result,
                      const Options& options);

/// True for the heenberichten answered by a retour (301, 305, 307, 315, 317, 319 and their iJw
/// twins).
bool has_retour(model::MessageType heen);

/// Where the retour of heenbericht `heen` goes when its ledger row is `retour_id`:
/// "<heen's Afzender>/<retour type>/<output_identificatie(retour_id)>.xml".
std::string retour_route(const model::Message& heen, ledger::MessageId retour_id);

/// The row of an input message with its header fields (verdict and route left to the caller);
/// it takes `input`'s packed bytes.
ledger::NewMessage input_row(const model::Message& m, Prepared& input, const std::string& source);

}  // namespace istd::ingest

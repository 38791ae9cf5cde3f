// The 325 Declaratie-antwoord of one 323: header with the 323's
// identification, then — unless the 323 was rejected on its header or at level 2 — the
// DeclaratieAntwoord with the totals and only the clients with rejected lines, each rejected line
// copied with its retourcodes. TotaalToegekendBedrag follows the TR342 arithmetic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/reconcile/history.hpp"
#include "core/reconcile/rules_323.hpp"

namespace istd::reconcile {

struct AnswerHeader {
  std::string identificatie;  ///< of the 325 (ledger::output_identificatie)
  std::string dagtekening;    ///< YYYY-MM-DD
  std::string xsd_basis = "1.0.0", xsd_bericht = "1.0.0";  ///< XsdVersie of the 325
  model::Standard standard = model::Standard::iwmo;        ///< WMO325 or JW325
};

/// Builds the 325 for declaration `d` with `lines` (document order) judged as `j`.
std::string build_325(const Declaration& d, const std::vector<Line>& lines, const Judgement& j,
                      const AnswerHeader& header);

/// TR342 on our own output: signed(Ingediend) − signed(Toegekend) = Σ D − Σ C of listed lines
/// (normal case), Toegekend = 0 on a Declaratie-level rejection. True when consistent.
bool tr342_consistent(const Declaration& d, const std::vector<Line>& lines, const Judgement& j);

/// Provider side (no retour exists): checks the prestaties a received 325 lists
/// against the 323 lines that were sent. Returns per listed line the local finding codes: 9366
/// (TR366, ProductReferentie not in the 323), 9367 (TR367, a value differs), 8187 (TR304, listed
/// under another Bsn); empty when the line matches.
std::vector<std::vector<std::string>> check_received_325(const std::vector<Line>& sent,
                                                         const std::vector<Line>& listed);

}  // namespace istd::reconcile

// Retour messages 302, 306, 308, 316, 318 and 320 (docs/ingest.md): the heenbericht's header
// copied with the retour's BerichtCode plus the retour fields, and — when a class under the
// client was judged faulty — the complete Client (the Antwoord of a 319) with every class copied
// unchanged and a RetourCodes per class.
#pragma once

#include <string>
#include <vector>

#include "core/model.hpp"

namespace istd::ingest {

/// What one retour says.
struct RetourContent {
  std::string identificatie_retour;  ///< ledger::output_identificatie(id)
  std::string dagtekening_retour;    ///< YYYY-MM-DD
  bool xslt = false;                 ///< add XsltVersie (level-2 rejection, IV033)
  std::string xsd_basis = "1.0.0";   ///< XsdVersieRetour (appinfo of the retour XSD)
  std::string xsd_bericht = "1.0.0";
  /// Header RetourCodes; empty = none (accepted message).
  std::vector<std::string> header_codes;
  /// When set, the Client (319: the Antwoord) is copied: its codes (client_codes), then per
  /// class in document order (ToegewezenProduct, StartProduct, StopProduct,
  /// AangevraagdProduct, or the Verzoek followed by its OngewijzigdProduct, TeWijzigenProduct
  /// and NieuwProduct) its codes. Empty = 0200.
  bool with_client = false;
  std::vector<std::string> client_codes;
  std::vector<std::vector<std::string>> class_codes;
};

/// Builds the retour (302 for a 301, 306 for a 305, 308 for a 307, 316 for a 315, 318 for a 317,
/// 320 for a 319) of an XSD-valid heenbericht. `original` are the heenbericht's bytes: the Client
/// is copied from them element by element (the model does not hold every field). Never throws
/// for valid input.
std::string build_retour(const model::Message& heen, std::string_view original,
                         const RetourContent& content);

/// The retour type of a heenbericht type (WMO306 for WMO305, ...); unknown when none.
model::MessageType retour_type(model::MessageType heen);

}  // namespace istd::ingest

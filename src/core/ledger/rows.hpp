// Internal to src/core/ledger/: the column lists of the functional tables and the decoding of
// their rows into the records of ledger.hpp, shared by the Ledger (ledger.cpp) and the Reader
// (reader.cpp) so that both read a table the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/ledger/statement.hpp"

namespace istd::ledger {

/// A code list as the tables store it: space-separated.
inline std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += ' ';
    s += x;
  }
  return s;
}

/// The space-separated code lists of the tables (intake_codes, retourcodes) as a vector.
inline std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

inline Verdict verdict_from(std::string_view s) {
  if (s == "accepted") return Verdict::accepted;
  if (s == "rejected") return Verdict::rejected;
  if (s == "quarantined") return Verdict::quarantined;
  return Verdict::recorded;
}

inline PrestatieVerdict pverdict_from(std::string_view s) {
  if (s == "approved") return PrestatieVerdict::approved;
  if (s == "rejected") return PrestatieVerdict::rejected;
  return PrestatieVerdict::pending;
}

// -- allocation_versions ----------------------------------------------------------------------

inline constexpr const char* kAllocCols =
    "id, message_id, gemeente, toewijzing_nummer, toewijzingsdatum, toewijzingstijd, bsn, agb, "
    "categorie, code, ingangsdatum, einddatum, reden_wijziging, volume, eenheid, frequentie, "
    "budget, referentie_aanbieder";

/// An allocation version from the columns kAllocCols, from column `o` on.
inline AllocationVersion read_alloc(const Stmt& s, int o = 0) {
  AllocationVersion v;
  v.id = s.i64(o + 0);
  v.message_id = s.i64(o + 1);
  v.gemeente = s.text(o + 2);
  v.toewijzing_nummer = s.i64(o + 3);
  v.toewijzingsdatum = s.text(o + 4);
  v.toewijzingstijd = s.text(o + 5);
  v.bsn = s.text(o + 6);
  v.agb = s.text(o + 7);
  v.categorie = s.opt_text(o + 8);
  v.code = s.opt_text(o + 9);
  v.ingangsdatum = s.text(o + 10);
  v.einddatum = s.opt_text(o + 11);
  v.reden_wijziging = s.opt_text(o + 12);
  v.volume = s.opt_i64(o + 13);
  v.eenheid = s.opt_text(o + 14);
  v.frequentie = s.opt_text(o + 15);
  v.budget = s.opt_i64(o + 16);
  v.referentie_aanbieder = s.opt_text(o + 17);
  return v;
}

// -- starts, stops --------------------------------------------------------------------------

inline constexpr const char* kStartCols =
    "id, agb, gemeente, bsn, toewijzing_nummer, categorie, code, begindatum, "
    "toewijzing_ingangsdatum, inserted_by, deleted_by";
inline constexpr const char* kStopCols =
    "id, agb, gemeente, bsn, toewijzing_nummer, categorie, code, begindatum, "
    "toewijzing_ingangsdatum, inserted_by, deleted_by, reden_beeindiging, einddatum";

template <typename R>
inline void read_common(const Stmt& s, R& r, int o) {
  r.id = s.i64(o + 0);
  r.agb = s.text(o + 1);
  r.gemeente = s.text(o + 2);
  r.bsn = s.text(o + 3);
  r.toewijzing_nummer = s.opt_i64(o + 4);
  r.categorie = s.opt_text(o + 5);
  r.code = s.opt_text(o + 6);
  r.begindatum = s.text(o + 7);
  r.toewijzing_ingangsdatum = s.opt_text(o + 8);
  r.inserted_by = s.i64(o + 9);
  r.deleted_by = s.opt_i64(o + 10);
}
/// A start (stop) from the columns kStartCols (kStopCols), from column `o` on.
inline StartRecord read_start(const Stmt& s, int o = 0) {
  StartRecord r;
  read_common(s, r, o);
  return r;
}
inline StopRecord read_stop(const Stmt& s, int o = 0) {
  StopRecord r;
  read_common(s, r, o);
  r.reden_beeindiging = s.text(o + 11);
  r.einddatum = s.text(o + 12);
  return r;
}

// -- declarations, prestaties ---------------------------------------------------------------

inline constexpr const char* kDeclCols =
    "id, message_id, agb, gemeente, declaratie_nummer, periode_begin, periode_eind, "
    "declaratie_dagtekening, totaal_bedrag, totaal_dc, identificatie, dagtekening, xsd_basis, "
    "xsd_bericht, intake_codes, status, retourcodes, answer_message_id";

inline DeclarationRecord read_decl(const Stmt& s) {
  DeclarationRecord d;
  d.id = s.i64(0);
  d.message_id = s.i64(1);
  d.agb = s.text(2);
  d.gemeente = s.text(3);
  d.declaratie_nummer = s.text(4);
  d.periode_begin = s.text(5);
  d.periode_eind = s.text(6);
  d.declaratie_dagtekening = s.text(7);
  d.totaal_bedrag = s.i64(8);
  d.totaal_dc = s.text(9);
  d.identificatie = s.text(10);
  d.dagtekening = s.text(11);
  d.xsd_basis = s.text(12);
  d.xsd_bericht = s.text(13);
  d.intake_codes = split(s.text(14));
  d.status = s.text(15) == "answered" ? DeclarationStatus::answered : DeclarationStatus::pending;
  d.retourcodes = split(s.text(16));
  d.answer_message_id = s.opt_i64(17);
  return d;
}

inline constexpr const char* kPrestCols =
    "id, declaration_id, position, agb, gemeente, bsn, referentie_nummer, "
    "vorig_referentie_nummer, toewijzing_nummer, product_categorie, product_code, "
    "periode_begin, periode_eind, geleverd_volume, eenheid, product_tarief, bedrag, "
    "debet_credit, verdict, retourcodes, credited_by";

inline PrestatieRecord read_prest(const Stmt& s) {
  PrestatieRecord p;
  p.id = s.i64(0);
  p.declaration_id = s.i64(1);
  p.position = static_cast<int>(s.i64(2));
  p.agb = s.text(3);
  p.gemeente = s.text(4);
  p.bsn = s.text(5);
  p.referentie_nummer = s.text(6);
  p.vorig_referentie_nummer = s.opt_text(7);
  p.toewijzing_nummer = s.i64(8);
  p.product_categorie = s.text(9);
  p.product_code = s.text(10);
  p.periode_begin = s.text(11);
  p.periode_eind = s.text(12);
  p.geleverd_volume = s.i64(13);
  p.eenheid = s.text(14);
  p.product_tarief = s.opt_i64(15);
  p.bedrag = s.i64(16);
  p.debet_credit = s.text(17);
  p.verdict = pverdict_from(s.text(18));
  p.retourcodes = split(s.text(19));
  p.credited_by = s.opt_i64(20);
  return p;
}

// ---- requests and answers (315/317/319) ----

inline constexpr const char* kRequestColumns =
    "r.id, r.message_id, r.type, r.gemeente, r.agb, r.bsn, r.referentie, r.dagtekening, "
    "r.summary, m.identificatie";

inline RequestRecord request_from(const Stmt& s) {
  RequestRecord r;
  r.id = s.i64(0);
  r.message_id = s.i64(1);
  r.type = s.text(2);
  r.gemeente = s.text(3);
  r.agb = s.text(4);
  r.bsn = s.text(5);
  r.referentie = s.text(6);
  r.dagtekening = s.text(7);
  r.summary = s.text(8);
  r.identificatie = s.text(9);
  return r;
}

inline constexpr const char* kAnswerColumns =
    "a.id, a.message_id, a.gemeente, a.agb, a.referentie, a.verzoek_antwoord, a.reden, "
    "a.dagtekening, m.identificatie";

inline AnswerRecord answer_from(const Stmt& s) {
  AnswerRecord a;
  a.id = s.i64(0);
  a.message_id = s.i64(1);
  a.gemeente = s.text(2);
  a.agb = s.text(3);
  a.referentie = s.text(4);
  a.verzoek_antwoord = s.text(5);
  a.reden = s.opt_text(6);
  a.dagtekening = s.text(7);
  a.identificatie = s.text(8);
  return a;
}

/// " AND <alias>.domain = <domain>", or "" when `domain` is empty (a ledger older than schema 6).
/// `domain` is ":domain" (bound by the Ledger) or a literal such as "'wmo'".
inline std::string domain_filter(std::string_view alias, std::string_view domain) {
  if (domain.empty()) return {};
  return " AND " + std::string(alias) + ".domain = " + std::string(domain);
}

/// Fills answers and the honouring allocation of each request; `prepare` makes a statement.
template <typename Prepare>
void complete(Prepare prepare, std::string_view domain, std::vector<RequestStatus>& out) {
  auto answers = prepare(std::string("SELECT ") + kAnswerColumns +
                         " FROM answers a JOIN messages m ON m.id = a.message_id "
                         "WHERE a.agb = ? AND a.referentie = ?" +
                         domain_filter("a", domain) + " ORDER BY a.id");
  auto alloc = prepare(
      std::string("SELECT v.toewijzing_nummer, m.identificatie, m.dagtekening FROM allocation_versions v "
      "JOIN messages m ON m.id = v.message_id WHERE v.agb = ? AND v.referentie_aanbieder = ?") +
      domain_filter("v", domain) + " ORDER BY v.id LIMIT 1");
  for (auto& st : out) {
    answers.reset().bind_all(st.request.agb, st.request.referentie);
    while (answers.step()) st.answers.push_back(answer_from(answers));
    alloc.reset().bind_all(st.request.agb, st.request.referentie);
    if (alloc.step()) {
      st.toewijzing_nummer = alloc.i64(0);
      st.allocation_identificatie = alloc.text(1);
      st.allocation_dagtekening = alloc.text(2);
    }
  }
}

/// The requests matching `where` (SQL over `r`, the requests table, "" for all) in the legal
/// domain `domain` (see domain_filter), oldest first, with their answers and honouring
/// allocation; `values` are bound to ?1, ?2, ...
template <typename Prepare, typename... Values>
std::vector<RequestStatus> request_statuses_where(Prepare prepare, std::string_view domain,
                                                  std::string_view where,
                                                  const Values&... values) {
  std::string sql = std::string("SELECT ") + kRequestColumns +
                    " FROM requests r JOIN messages m ON m.id = r.message_id WHERE " +
                    (where.empty() ? std::string("1 = 1") : "(" + std::string(where) + ")") +
                    domain_filter("r", domain);
  auto s = prepare(sql + " ORDER BY r.id");
  if constexpr (sizeof...(values) > 0) s.bind_all(values...);
  std::vector<RequestStatus> out;
  while (s.step()) out.push_back({request_from(s), {}, std::nullopt, {}, {}});
  complete(prepare, domain, out);
  return out;
}


}  // namespace istd::ledger

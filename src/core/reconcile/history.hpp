// The in-memory view of the ledger that the 323 rules judge against: current
// allocation versions, their delivery intervals, the declarations and prestaties already
// processed. Plain structs, filled by `load_snapshot` (snapshot.cpp) or directly by tests.
// Judging a declaration adds its lines here, so later lines and later declarations see the
// cumulative effect ("credits first", OP366, TR322/TR369/TR389/TR390).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/delivery/intervals.hpp"
#include "core/model.hpp"

namespace istd::reconcile {

using model::Date;

/// Current version of an allocation (a ToegewezenProduct of an accepted 301).
struct Allocation {
  std::string gemeente;
  std::int64_t nummer = 0;
  std::string bsn, agb;
  std::optional<std::string> categorie, code;  ///< absent for generic / aspecific allocations
  Date ingangsdatum;
  std::optional<Date> einddatum;
  bool deleted = false;  ///< RedenWijziging 13 (or legacy 01 with E = I)
  std::optional<std::int64_t> volume;  ///< Omvang/Volume; nullopt when there is no Omvang
  std::string eenheid, frequentie;     ///< Omvang/Eenheid, Omvang/Frequentie ("" without Omvang)
  std::optional<std::int64_t> budget;  ///< cents
  std::optional<Date> geboortedatum;   ///< the client's, from the 301 (minors)
  std::string evidence;                ///< the 301 that holds this version ("WMO301:<id>")
  bool has_omvang() const { return volume.has_value(); }
};

enum class LineVerdict { pending, approved, rejected };

/// One Prestatie line of a 323.
struct Line {
  std::int64_t id = 0;              ///< ledger row id (unique)
  std::int64_t declaration_id = 0;
  int position = 0;                 ///< document order in the 323
  std::string agb, gemeente, bsn;
  std::string referentie;
  std::optional<std::string> vorig;
  std::int64_t nummer = 0;
  std::string categorie, code;
  /// ProductPeriode as in the 323 when it differs from begin/eind.to_string() (empty: the
  /// dates render the text; the loader keeps only texts that do not round-trip).
  std::string begin_text, eind_text;
  Date begin, eind;
  std::int64_t volume = 0;
  std::string eenheid;
  std::optional<std::int64_t> tarief;
  std::int64_t bedrag = 0;  ///< cents, unsigned; `credit` gives the sign
  bool credit = false;
  LineVerdict verdict = LineVerdict::pending;
  std::vector<std::string> codes;
  std::optional<std::int64_t> credited_by;  ///< id of the approved credit line
  std::int64_t signed_bedrag() const { return credit ? -bedrag : bedrag; }
};

/// A 323 as recorded.
struct Declaration {
  std::int64_t id = 0;
  std::int64_t message_id = 0;
  std::string agb, gemeente, nummer;
  Date periode_begin, periode_eind;
  std::string dagtekening_declaratie;
  std::int64_t totaal_bedrag = 0;
  std::string totaal_dc = "D";
  std::string identificatie, dagtekening;  ///< BerichtIdentificatie of the 323
  std::string xsd_basis, xsd_bericht;
  std::vector<std::string> intake_codes;   ///< header codes from ingest (0001, 9056, 8848)
  bool answered = false;
  std::vector<std::string> retourcodes;    ///< codes of the 325 when answered
  std::optional<std::int64_t> answer_message_id;
  std::int64_t signed_totaal() const { return totaal_dc == "C" ? -totaal_bedrag : totaal_bedrag; }
};

/// A process-lifetime copy of `s` shared by every equal string (Bsn, codes, AGB): the judged
/// lines in `History` point here instead of holding their own strings. Thread-safe.
std::string_view intern(std::string_view s);

/// A judged line as `History` keeps it: the fields the 323 rules and the AT check read, strings
/// interned. One per line (the month's full `Line`s live in the reconcile result).
struct HistLine {
  std::int64_t id = 0;
  std::int64_t declaration_id = 0;
  std::int64_t nummer = 0;
  std::int64_t volume = 0;
  std::int64_t bedrag = 0;  ///< cents, unsigned; `credit` gives the sign
  std::optional<std::int64_t> tarief;
  std::optional<std::int64_t> credited_by;
  Date begin, eind;
  std::string_view bsn, categorie, code, eenheid;  ///< interned
  bool credit = false;
  LineVerdict verdict = LineVerdict::pending;
  std::uint32_t next_ref = kNone, next_alloc = kNone;  ///< chains of the indexes
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
};

/// Everything the 323 rules look at. Not thread-safe.
class History {
 public:
  // -- Allocations --------------------------------------------------------------------------
  void add_allocation(Allocation a);
  const Allocation* allocation(std::string_view gemeente, std::int64_t nummer) const;
  /// True when the Bsn has any allocation (current version, deleted or not) of this provider at
  /// this municipality (TR304 client variant).
  bool bsn_known(std::string_view agb, std::string_view gemeente, std::string_view bsn) const;
  /// Allocations of a provider at a municipality (TR318 evidence).
  std::vector<const Allocation*> allocations_of(std::string_view agb,
                                                std::string_view gemeente) const;
  /// All allocations.
  const std::vector<Allocation>& allocations() const { return allocations_; }

  /// Delivery intervals of an allocation; nullptr when unknown.
  void set_intervals(std::string_view gemeente, std::int64_t nummer,
                     std::vector<delivery::Interval> intervals);
  const std::vector<delivery::Interval>* intervals(std::string_view gemeente,
                                                   std::int64_t nummer) const;
  /// Moves the intervals out (empty when unknown); `intervals` then gives an empty list.
  std::vector<delivery::Interval> take_intervals(std::string_view gemeente, std::int64_t nummer);

  // -- Declarations -------------------------------------------------------------------------
  /// Records a processed declaration (one that reserves its number and counts for TR318).
  void add_processed_declaration(const Declaration& d);
  bool declaratie_nummer_used(std::string_view agb, std::string_view nummer) const;
  /// Latest DeclaratiePeriode (its Begindatum) of processed claims of agb at gemeente.
  std::optional<Date> latest_period(std::string_view agb, std::string_view gemeente) const;

  // -- Lines --------------------------------------------------------------------------------
  /// Adds a judged line (approved or rejected). Approved credits mark their debit credited.
  void add_line(const Line& l);
  /// Judged lines of a provider with this ReferentieNummer (in the order added).
  std::vector<const HistLine*> by_referentie(std::string_view agb, std::string_view ref) const;
  /// Judged lines of a provider on one allocation (in the order added).
  std::vector<const HistLine*> on_allocation(std::string_view agb, std::string_view gemeente,
                                             std::int64_t nummer) const;
  std::size_t line_count() const { return lines_.size(); }

 private:
  using AllocKey = std::pair<std::string, std::int64_t>;  // gemeente, nummer
  struct PairHash {
    std::size_t operator()(const AllocKey& k) const {
      return std::hash<std::string>()(k.first) * 31 + std::hash<std::int64_t>()(k.second);
    }
  };
  std::vector<Allocation> allocations_;
  std::unordered_map<AllocKey, std::size_t, PairHash> alloc_index_;
  std::unordered_map<AllocKey, std::vector<delivery::Interval>, PairHash> intervals_;
  std::set<std::tuple<std::string, std::string, std::string>> known_bsn_;  // agb, gemeente, bsn
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_provider_;
  std::set<std::pair<std::string, std::string>> decl_numbers_;  // agb, nummer
  std::map<std::pair<std::string, std::string>, Date> latest_;  // (agb, gemeente) -> period

  // Judged lines (a deque: no copy of everything when it grows) and two indexes, each a chain
  // through the lines (first, last) so that a key costs one map entry.
  struct Chain {
    std::uint32_t first = HistLine::kNone, last = HistLine::kNone;
  };
  struct RefKey {
    std::string_view agb;  // interned
    std::string ref;
    bool operator==(const RefKey&) const = default;
  };
  struct RefHash {
    std::size_t operator()(const RefKey& k) const {
      return std::hash<std::string_view>()(k.agb) * 31 + std::hash<std::string>()(k.ref);
    }
  };
  struct LineAllocKey {
    std::string_view agb, gemeente;  // interned
    std::int64_t nummer = 0;
    bool operator==(const LineAllocKey&) const = default;
  };
  struct LineAllocHash {
    std::size_t operator()(const LineAllocKey& k) const {
      return (std::hash<std::string_view>()(k.agb) * 31 +
              std::hash<std::string_view>()(k.gemeente)) * 31 +
             std::hash<std::int64_t>()(k.nummer);
    }
  };
  std::deque<HistLine> lines_;
  std::unordered_map<RefKey, Chain, RefHash> by_ref_;
  std::unordered_map<LineAllocKey, Chain, LineAllocHash> by_alloc_;
};

}  // namespace istd::reconcile

// The ledger: istd's persistent memory of every message it took in or produced, and of the
// functional state those messages build (allocations, starts, stops, declarations, prestaties).
// Cross-message rules (istd ingest) read it; reconciliation (istd reconcile) reads and writes it.
//
// Engine. SQLite, embedded, one file (`--db FILE`), created on first use. WAL journal,
// `synchronous=FULL` (audit data), `foreign_keys=ON`, busy timeout 10 s so an
// `istd reconcile` and an `istd ingest` on the same file wait for each other instead of failing.
// One `Ledger` object per thread; it is not thread-safe. Several processes may open the same
// file: SQLite serialises writers (we always `BEGIN IMMEDIATE`).
//
// Interface. Only src/core/ledger/ knows SQL; the rest of istd calls typed operations that
// return the records below. `Ledger` holds the writes (ingest, reconcile's verdicts and 325s)
// and the per-key lookups the rules make; `Reader` (reader.hpp) holds the reads of whole tables
// (reconcile's snapshot) and the service's listing, on a read-only connection. Internal:
// statement.hpp (the prepared-statement wrapper), rows.hpp (column lists, row decoding).
//
// Tables (schema version 6; every column NOT NULL unless marked "null"):
//
//   Legal domain. allocation_versions, starts, stops, declarations, prestaties, requests and
//   answers carry a column `domain` ('wmo' for iWmo, 'jw' for iJw; schema 6, older rows 'wmo')
//   that is part of every key: the Ledger reads and writes only the domain set with
//   set_standard (statements name it :domain), so a WMO301 and a JW301 with the same
//   ToewijzingNummer are two allocations. The Reader reads the 'wmo' domain (its users are
//   iWmo views: the abonnementstarief check, the worklist, the CAK list).
//
//   schema_version(version)            one row. Numbered migrations (kMigrations in
//                                      ledger.cpp) run in one transaction; a file whose version
//                                      is newer than kSchemaVersion is refused (ConfigError).
//   meta(key PK, value)                small settings, e.g. "out_dir" (see materialisation).
//
//   messages                           every message in or out, incl. quarantined input.
//     id PK                            ledger sequence; also the source of istd's own
//                                      identifications (IdentificatieRetour, 325 Identificatie:
//                                      `output_identificatie(id)`), so outputs are deterministic.
//     role                             'input' (given to `istd ingest`) | 'output' (produced)
//     type                             "WMO305", "" when unknown
//     berichtcode, afzender, ontvanger, identificatie, dagtekening,
//     xsd_basis, xsd_bericht           header values as text ("" when not read)
//     source                           input path as given (outputs: "")
//     content_hash                     FNV-1a 64 of the bytes (duplicate detection)
//     verdict                          'accepted' | 'rejected' | 'quarantined' | 'recorded'
//                                      (outputs and messages istd only stores, e.g. a 306 in)
//     level                            0 none; 1 XSD/XML; 2 message rules; 3 cross-message
//     findings                         JSON array (report::to_json finding objects)
//     reply_to null                    outputs: id of the heenbericht they answer
//     route_path                       file path relative to the output dir
//                                      ("65656055/WMO306/ISTD00000042.xml", "quarantine/x.xml")
//     reason null                      quarantine: text of the `.reason` file
//     received_at                      UTC timestamp (not part of the canonical dump)
//     index (berichtcode, afzender, identificatie)   TR056 (inputs only)
//     index (content_hash)                            duplicate detection (inputs only)
//     index (reply_to)                                reply_of (rows with a reply_to only)
//     unique index (route_path)
//   message_bytes(id PK -> messages, bytes BLOB, encoding INTEGER)   the exact bytes of every
//                                      message (inputs as received, outputs as written):
//                                      re-materialisation, 325 copies. Apart from `messages` so
//                                      its rows stay small. `bytes` is stored as `encoding` says
//                                      (pack.hpp: 0 raw, 1 zstd; schema 3 added the column,
//                                      older rows are raw); readers get the original bytes.
//                                      Inputs over ingest's size limit (quarantined) are
//                                      stored raw, written and read in pieces of 1 MiB
//                                      (add_message_from_file, stream_bytes), never whole.
//   unwritten(id PK -> messages)       materialisation queue: rows whose file(s) are not yet
//                                      known durable under the output dir (add_message enqueues,
//                                      mark_materialised dequeues).
//   message_bytes and unwritten are parts of a message row, written with it. On PostgreSQL
//   (schema 8) they have no foreign key to messages: each would make the server look up and
//   lock the message row for every row written, about a tenth of its work in an ingest. SQLite
//   keeps the keys (in-process lookups, cheap); a row of either without its message is never
//   read (both are read by a message's id).
//
//   allocation_versions                one row per distinct ToegewezenProduct
//     id PK, message_id -> messages    occurrence of an accepted 301
//     gemeente, toewijzing_nummer INTEGER (by value), toewijzingsdatum, toewijzingstijd,
//     bsn, agb, categorie null, code null, ingangsdatum, einddatum null, reden_wijziging null,
//     volume null INTEGER, eenheid null, frequentie null, budget null INTEGER,
//     referentie_aanbieder null
//     unique (gemeente, toewijzing_nummer, toewijzingsdatum, toewijzingstijd): a re-sent
//     unchanged version is not stored twice; a different one with the same date/time is kept
//     out (first wins, ingest warns). index (bsn); index (agb, gemeente); index (gemeente,
//     agb, bsn).
//     Current version := max (toewijzingsdatum, toewijzingstijd), compared as text (xs:date and
//     xs:time lexical forms without zone sort correctly as text).
//
//   starts                             StartProducts of accepted 305s
//     id PK, agb, gemeente, bsn, toewijzing_nummer null INTEGER, categorie null, code null,
//     begindatum, toewijzing_ingangsdatum null, inserted_by -> messages, deleted_by null
//     Live := deleted_by IS NULL. Invariant: at most one live row per logical key
//     (agb, gemeente, bsn, nummer, categorie, code, begindatum); NULL matches only NULL.
//   stops                              StopProducts of accepted 307s, same shape plus
//     reden_beeindiging, einddatum; live key adds (reden_beeindiging, einddatum).
//     Delivery/pause intervals are never stored: derive them (`delivery_intervals`).
//
//   declarations                       one row per XSD-valid 323 taken in
//     id PK, message_id -> messages, agb, gemeente, declaratie_nummer, periode_begin,
//     periode_eind, declaratie_dagtekening, totaal_bedrag INTEGER, totaal_dc,
//     identificatie, dagtekening (its BerichtIdentificatie), xsd_basis, xsd_bericht,
//     intake_codes                     header retourcodes found at intake, space-separated
//                                      ("0001" level 2, "9056", "8848"; "" when clean): the
//                                      325 must then be header-only with these codes
//     status                           'pending' | 'answered'
//     retourcodes                      DeclaratieAntwoord / header codes of the 325 ("" pending)
//     answer_message_id null -> messages   the 325
//   prestaties                         every line of a declaration without intake codes
//     id PK, declaration_id -> declarations, position (document order in the 323),
//     agb, gemeente, bsn, referentie_nummer, vorig_referentie_nummer null,
//     toewijzing_nummer INTEGER, product_categorie, product_code, periode_begin, periode_eind,
//     geleverd_volume INTEGER, eenheid, product_tarief null INTEGER, bedrag INTEGER,
//     debet_credit, verdict 'pending'|'approved'|'rejected', retourcodes ("" until judged),
//     credited_by null -> prestaties   the approved credit line that credited this debit line
//     index (agb, referentie_nummer); index (agb, toewijzing_nummer, product_categorie,
//     product_code, periode_begin, periode_eind); index (declaration_id)
//
//   requests                           each reference asked for in an accepted 315 or 317
//     id PK, message_id -> messages, type 'WMO315'|'WMO317', gemeente, agb, bsn, referentie
//     (ReferentieAanbieder: one row per AangevraagdProduct of a 315, one per 317 Verzoek),
//     dagtekening (the request's), summary (what was asked, for the timeline and worklist)
//     gezagsdrager_bekend null (a JW315's GezagsdragerBekend, '1' | '2')
//     index (agb, referentie); index (gemeente, agb, bsn); index (agb, bsn)
//   answers                            each accepted 319
//     id PK, message_id -> messages, gemeente, agb, referentie, verzoek_antwoord '1'|'2',
//     reden null (RedenAfwijzingVerzoek), dagtekening, woonplaatsbeginsel_gemeente null (the
//     gemeente a JW319 names as responsible); index (agb, referentie)
//     A request is open ("onderhanden") until an allocation version carries its referentie
//     (index allocation_ref on allocation_versions(agb, referentie_aanbieder)) or an answer
//     with verzoek_antwoord 1 (afgewezen) exists.
//
//   cak_exports                        each start/stop list made for the CAK (`istd cak`)
//     number PK (1, 2, ...), made_on (the run's date), made_at (UTC timestamp), line_count
//   cak_lines                          the lines of each export, as written
//     export_number -> cak_exports, seq (1, 2, ... within the export), gemeente, bsn,
//     eb_start_nummer, kind 'start'|'stop', datum, previous null (the date it replaces),
//     status (StatusAanlevering 1 new, 2 changed, 3 withdrawn), reason (a code of
//     cak/cak_list.hpp), toelichting (the reason as written), evidence ("WMO305:<id>"
//     names, one per line: an Identificatie may hold spaces, never a line break);
//     PK (export_number, seq). `istd cak --export N` writes export N again from these rows
//     alone.
//   cak_episodes                       the episodes as last reported to the CAK
//     eb_start_nummer PK, gemeente, bsn, startdatum, stopdatum null (running), withdrawn 0|1,
//     first_export -> cak_exports; index (gemeente, bsn)
//
// Invariants.
// * Only accepted messages change functional state (allocation_versions, starts, stops);
//   ingest evaluates a message inside a savepoint and rolls it back when it is rejected.
// * Each output message (retour, 325) has exactly one row with role 'output' and reply_to set;
//   each input at most one row (an exact re-delivery is recognised and not stored again).
// * Output files are a projection of the ledger: `route_path` + message_bytes (+ `reason`).
//   A row in `unwritten` may or may not have its file on disk; writing it again is
//   harmless (same bytes, atomic rename). Every ingest run first re-materialises those rows.
//
// Transactions. The caller groups work: `Transaction` (BEGIN IMMEDIATE .. COMMIT; rollback on
// destruction) around a batch of messages, and `Savepoint` around one message's tentative
// changes. One committed transaction covers, for each message in it: its messages row, its
// functional rows, its output row(s). Files are written after the commit and then flagged
// materialised in a later transaction, so a crash at any point leaves either nothing of a
// message (rerun redoes it) or a committed message whose files the next run re-materialises.
//
// Reconcile usage sketch:
//   auto tx = ledger.begin();
//   for (auto& d : ledger.pending_declarations()) {
//     auto lines = ledger.prestaties_of_declaration(d.id);       // judge them
//     MessageId out = ledger.add_message(NewMessage{...role output, reply_to d.message_id});
//     ledger.set_message_bytes(out, build_325(output_identificatie(out), ...));
//     ledger.set_prestatie_verdict(line.id, Verdict::rejected, {"9321"}); ...
//     ledger.set_credited_by(debit.id, credit.id); ...
//     ledger.set_declaration_answered(d.id, {"8001"}, out);
//   }
//   tx.commit();
//   output::materialise(ledger, out_dir);   // writes the 325 files
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/delivery/intervals.hpp"
#include "core/ledger/pack.hpp"
#include "core/model.hpp"

namespace istd::ledger {

/// The schema version this build writes and understands.
inline constexpr int kSchemaVersion = 8;

using MessageId = std::int64_t;
using RowId = std::int64_t;

/// "ISTD" + 8 digits of the ledger message id ("ISTD00000042"; 12 chars, LDT_IdentificatieBericht).
/// Used as IdentificatieRetour of retours and as Identificatie of produced 325s.
std::string output_identificatie(MessageId id);

/// FNV-1a 64-bit hash (stable across platforms; stored in `messages.content_hash`).
std::int64_t content_hash(std::string_view bytes);

/// content_hash() computed piece by piece (a file too large to hold): feeding the bytes in any
/// number of chunks, in order, gives content_hash() of all of them.
class ContentHasher {
 public:
  void update(std::string_view bytes);
  std::int64_t value() const;

 private:
  std::uint64_t h_ = 14695981039346656037ull;
};

enum class Role { input, output };
enum class Verdict { accepted, rejected, quarantined, recorded };
std::string_view to_string(Verdict v);

/// A messages row to insert.
struct NewMessage {
  Role role = Role::input;
  std::string type;  ///< "WMO305"; "" unknown
  std::string berichtcode, afzender, ontvanger, identificatie, dagtekening;
  std::string xsd_basis, xsd_bericht;
  std::string source;
  std::string bytes;
  std::optional<std::int64_t> content_hash;  ///< of `bytes`; computed when not given
  std::optional<Packed> packed;  ///< pack(bytes), when the caller made it (a validation thread)
  Verdict verdict = Verdict::recorded;
  int level = 0;
  std::string findings_json = "[]";
  std::optional<MessageId> reply_to;
  std::string route_path;  ///< relative to the output dir; must be unique (see unique_route)
  std::optional<std::string> reason;
};

/// A messages row as read back.
struct MessageRecord {
  MessageId id = 0;
  Role role = Role::input;
  std::string type, berichtcode, afzender, ontvanger, identificatie, dagtekening;
  std::string xsd_basis, xsd_bericht, source;
  std::int64_t content_hash = 0;
  std::string bytes;  ///< filled only by `message()` (the lookups leave it empty)
  Verdict verdict = Verdict::recorded;
  int level = 0;
  std::string findings_json;
  std::optional<MessageId> reply_to;
  std::string route_path;
  std::optional<std::string> reason;
  bool materialised = false;
  /// unmaterialised() only: the stored bytes are larger than kHeldBytes and were left out of
  /// `bytes`; read them piece by piece with Ledger::stream_bytes().
  bool bytes_left_out = false;
};

/// unmaterialised() leaves out bytes stored raw beyond this size (over-size inputs kept in
/// quarantine): they are streamed instead of held together with every other row.
inline constexpr std::uint64_t kHeldBytes = 4u * 1024u * 1024u;

/// What add_message_from_file() did.
struct FileInsert {
  enum class Status {
    stored,      ///< the row and all the file's bytes are in the ledger
    changed,     ///< the file no longer holds the bytes it was hashed with: nothing stored
    unreadable,  ///< reading the file failed (`error`): nothing stored
    too_large,   ///< larger than the ledger can store (max_message_bytes()): nothing stored
  };
  Status status = Status::stored;
  MessageId id = 0;   ///< stored: the new row
  std::string error;  ///< unreadable: the system's message
};

/// One version of an allocation (a ToegewezenProduct of an accepted 301).
struct AllocationVersion {
  RowId id = 0;
  MessageId message_id = 0;
  std::string gemeente;
  std::int64_t toewijzing_nummer = 0;
  std::string toewijzingsdatum, toewijzingstijd;
  std::string bsn, agb;
  std::optional<std::string> categorie, code;
  std::string ingangsdatum;
  std::optional<std::string> einddatum;
  std::optional<std::string> reden_wijziging;
  std::optional<std::int64_t> volume;
  std::optional<std::string> eenheid, frequentie;
  std::optional<std::int64_t> budget;
  std::optional<std::string> referentie_aanbieder;

  /// RedenWijziging 13, or legacy 01 with Einddatum = Ingangsdatum (model::allocation_deleted).
  bool deleted() const;
};

/// One reference asked for in an accepted 315 (per AangevraagdProduct) or 317 (the Verzoek).
struct RequestRecord {
  RowId id = 0;
  MessageId message_id = 0;
  std::string type;  ///< "WMO315" or "WMO317"
  std::string gemeente, agb, bsn;
  std::string referentie;   ///< ReferentieAanbieder
  std::string dagtekening;  ///< of the request message
  std::string summary;      ///< what was asked, one line
  std::string identificatie;  ///< of the request message (filled by readers)
  /// iJw (JW315): GezagsdragerBekend, "1" ja / "2" nee. Written by ingest; the bulk readers
  /// leave it empty (Ledger::gezagsdrager_known asks for it).
  std::optional<std::string> gezagsdrager_bekend;
};

/// An accepted 319.
struct AnswerRecord {
  RowId id = 0;
  MessageId message_id = 0;
  std::string gemeente, agb, referentie;
  std::string verzoek_antwoord;  ///< "1" afgewezen, "2" in onderzoek
  std::optional<std::string> reden;
  std::string dagtekening;
  std::string identificatie;  ///< of the 319 (filled by readers)
  /// iJw (JW319): the gemeente named under Woonplaatsbeginsel. Written by ingest; the bulk
  /// readers leave it empty (Ledger::last_woonplaatsbeginsel asks for it).
  std::optional<std::string> woonplaatsbeginsel_gemeente;
};

/// The latest JW319 of a provider's requests for a client that named another gemeente as
/// responsible under the woonplaatsbeginsel.
struct WoonplaatsbeginselAnswer {
  MessageId message_id = 0;  ///< the 319
  std::string gemeente;      ///< the municipality that answered
  std::string indicated;     ///< Woonplaatsbeginsel/Gemeente
  std::string referentie, dagtekening;
};

/// A request with what answered it so far.
struct RequestStatus {
  RequestRecord request;
  std::vector<AnswerRecord> answers;  ///< 319s with its referentie, oldest first
  /// The first allocation version (of an accepted 301) carrying its referentie, if any:
  /// ToewijzingNummer and the 301's Identificatie and Dagtekening.
  std::optional<std::int64_t> toewijzing_nummer;
  std::string allocation_identificatie, allocation_dagtekening;
  bool rejected() const {
    for (const auto& a : answers)
      if (a.verzoek_antwoord == "1") return true;
    return false;
  }
  /// Open ("onderhanden"): neither honoured by a 301 nor refused by a 319.
  bool open() const { return !toewijzing_nummer && !rejected(); }
};

/// A StartProduct (live or deleted).
struct StartRecord {
  RowId id = 0;
  std::string agb, gemeente, bsn;
  std::optional<std::int64_t> toewijzing_nummer;
  std::optional<std::string> categorie, code;
  std::string begindatum;
  std::optional<std::string> toewijzing_ingangsdatum;
  MessageId inserted_by = 0;
  std::optional<MessageId> deleted_by;
  bool live() const { return !deleted_by; }
};

/// A StopProduct (live or deleted).
struct StopRecord {
  RowId id = 0;
  std::string agb, gemeente, bsn;
  std::optional<std::int64_t> toewijzing_nummer;
  std::optional<std::string> categorie, code;
  std::string begindatum;
  std::optional<std::string> toewijzing_ingangsdatum;
  std::string reden_beeindiging;
  std::string einddatum;
  MessageId inserted_by = 0;
  std::optional<MessageId> deleted_by;
  bool live() const { return !deleted_by; }
  bool pause() const { return reden_beeindiging == "20"; }
};

/// Scope and key of a start (the stop's start-key is the same shape).
struct StartKey {
  std::string agb, gemeente, bsn;
  std::optional<std::int64_t> toewijzing_nummer;
  std::optional<std::string> categorie, code;
  std::string begindatum;
};

/// What a start or stop is judged against (Ledger::allocation_state).
struct AllocationState {
  std::optional<AllocationVersion> allocation;  ///< current version of the ToewijzingNummer
  std::vector<StartRecord> starts;              ///< live starts, by Begindatum
  std::vector<StopRecord> stops;                ///< live stops, by (Begindatum, Einddatum)
};

enum class DeclarationStatus { pending, answered };

/// A 323 as taken in.
struct DeclarationRecord {
  RowId id = 0;
  MessageId message_id = 0;
  std::string agb, gemeente, declaratie_nummer;
  std::string periode_begin, periode_eind, declaratie_dagtekening;
  std::int64_t totaal_bedrag = 0;
  std::string totaal_dc;                   ///< "D" / "C"
  std::string identificatie, dagtekening;  ///< BerichtIdentificatie of the 323
  std::string xsd_basis, xsd_bericht;      ///< XsdVersie of the 323
  /// Header retourcodes found at intake (0001 level 2, 9056, 8848): the 325 is header-only.
  std::vector<std::string> intake_codes;
  DeclarationStatus status = DeclarationStatus::pending;
  std::vector<std::string> retourcodes;  ///< codes the 325 gave (empty while pending)
  std::optional<MessageId> answer_message_id;
};

enum class PrestatieVerdict { pending, approved, rejected };
std::string_view to_string(PrestatieVerdict v);

/// One Prestatie line of a 323. Text fields are the 323's lexical values (for exact copies in
/// the 325 re-read the 323 bytes via `message(declaration.message_id)`); numbers by value.
struct PrestatieRecord {
  RowId id = 0;
  RowId declaration_id = 0;
  int position = 0;  ///< 0-based document order in the 323 (over all clients)
  std::string agb, gemeente, bsn;
  std::string referentie_nummer;
  std::optional<std::string> vorig_referentie_nummer;
  std::int64_t toewijzing_nummer = 0;
  std::string product_categorie, product_code;
  std::string periode_begin, periode_eind;
  std::int64_t geleverd_volume = 0;
  std::string eenheid;
  std::optional<std::int64_t> product_tarief;
  std::int64_t bedrag = 0;
  std::string debet_credit;  ///< "D" / "C"
  PrestatieVerdict verdict = PrestatieVerdict::pending;
  std::vector<std::string> retourcodes;
  std::optional<RowId> credited_by;
  bool credit() const { return debet_credit == "C"; }
};

/// An episode of the eigen bijdrage as reported to the CAK (one EbStartNummer).
struct CakEpisodeRecord {
  std::int64_t eb_start_nummer = 0;
  std::string gemeente, bsn;
  std::string startdatum;                 ///< YYYY-MM-DD
  std::optional<std::string> stopdatum;   ///< nullopt: running as far as the CAK knows
  bool withdrawn = false;                 ///< reported with StatusAanlevering 3
  std::int64_t first_export = 0;
};

/// One line of a CAK export.
struct CakLineRecord {
  int seq = 0;  ///< 1, 2, ... within the export
  std::string gemeente, bsn;
  std::int64_t eb_start_nummer = 0;
  std::string kind;   ///< "start" (EbStartdatum) or "stop" (EbStopdatum)
  std::string datum;  ///< YYYY-MM-DD
  std::optional<std::string> previous;  ///< the date a change (2) or withdrawal (3) concerns
  int status = 1;     ///< StatusAanlevering: 1 new, 2 changed, 3 withdrawn
  std::string reason;       ///< a reason code (cak/cak_list.hpp)
  std::string toelichting;  ///< the plain-language reason as written in the export
  std::vector<std::string> evidence;
};

/// A CAK export as recorded.
struct CakExportRecord {
  std::int64_t number = 0;
  std::string made_on;  ///< YYYY-MM-DD (the run's --today)
  std::string made_at;  ///< UTC timestamp of the recording
  std::int64_t line_count = 0;
};

struct OpenOptions {
  /// Create the file and schema when missing (default). When false a missing file is an error.
  bool create = true;
  /// SQLite synchronous mode: FULL (default, B8) or NORMAL (WAL: a power loss may lose the last
  /// commits but never corrupts; process crashes lose nothing). Tests may use OFF. On
  /// PostgreSQL FULL is `synchronous_commit = on`, NORMAL and OFF are `off` (see
  /// set_synchronous).
  enum class Sync { full, normal, off } sync = Sync::full;
};

/// How messages and reports name the ledger at `location`: the file, or the PostgreSQL URL
/// without its password.
std::string display_location(const std::filesystem::path& location);

/// The ledger: an SQLite file (embedded, the default) or a PostgreSQL database that several
/// istd processes share. Not thread-safe: one object per thread.
class Ledger {
 public:
  /// Opens (and creates/migrates) the ledger: `file` is an SQLite file, or a PostgreSQL URL
  /// (`postgresql://[user[:password]@][host][:port]/dbname[?param=value...]`, as libpq takes
  /// it; `host=/dir` for a Unix socket).
  /// @throws ConfigError when the ledger's schema version is newer than kSchemaVersion, it is
  ///         not an istd ledger or the database server cannot be reached; RuntimeError on any
  ///         database/I/O failure.
  explicit Ledger(const std::filesystem::path& file, OpenOptions options = {});
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  /// Schema version of the open file (== kSchemaVersion after opening).
  int schema_version() const;
  /// The legal domain of what follows: every operation on allocations, starts, stops,
  /// declarations, prestaties, requests and answers stays inside it (the uniqueness rules of
  /// the standard hold per domain). Set it to the standard of each message before processing
  /// it; iWmo until set.
  void set_standard(model::Standard s);
  model::Standard standard() const;
  /// True while a transaction is open on this connection (Transaction not yet committed).
  bool in_transaction() const;
  /// True for a ledger on a database server (PostgreSQL): several processes may write it, and
  /// the WAL upkeep below does nothing (the server keeps its own WAL).
  bool is_server() const;
  /// SQLite's automatic WAL checkpoint at commit (on by default). A writer that checkpoints
  /// from another connection (`checkpoint()`, e.g. on a background thread) turns it off so
  /// its commits do not copy the WAL into the database file. Durability is unchanged.
  /// While off, wal_in_use() follows the WAL's size.
  void set_auto_checkpoint(bool on);
  /// While automatic checkpoints are off: bytes the WAL holds since SQLite last started it
  /// over (checkpointed or not), as of this connection's last commit; 0 otherwise. A writer
  /// that never pauses keeps PASSIVE checkpoints from starting the WAL over (they never copy
  /// all of it), so this grows until checkpoint_restart().
  std::uint64_t wal_in_use() const;
  /// A PASSIVE WAL checkpoint on this connection (never waits for other connections).
  /// @throws RuntimeError on database failure.
  void checkpoint();
  /// Changes this connection's synchronous setting. `normal` (WAL mode): a commit writes the
  /// WAL without waiting for the disk; it becomes durable at the next sync_wal() or checkpoint
  /// (a crash of the process loses nothing; a power cut may lose commits after the last sync,
  /// never the database's consistency). On PostgreSQL `normal` and `off` are
  /// `synchronous_commit = off` (durable at the next sync_wal(), or when the server's WAL
  /// writer gets to them), `full` is `on`.
  void set_synchronous(OpenOptions::Sync sync);
  OpenOptions::Sync synchronous() const;
  /// fdatasync of the WAL file: every commit written before the call is durable after it. Any
  /// thread may call it (it does not use the connection). No WAL file: nothing to do. On
  /// PostgreSQL: the same promise, kept by a commit that waits for the server's disk, on a
  /// connection of its own opened at the first call (and kept while the ledger is open).
  /// @throws RuntimeError when the sync fails (PostgreSQL: also when that connection or the
  /// commit is refused).
  void sync_wal() const;
  /// A RESTART checkpoint: copies the whole WAL into the database and makes the next commit
  /// start the WAL over (write it from its beginning again). For the writer, between its
  /// transactions; a checkpoint running on another connection at the same time makes it
  /// leave the WAL as it is (SQLite does not wait for that), so callers that checkpoint from
  /// two connections take turns. @throws RuntimeError on database failure (not when busy).
  void checkpoint_restart();
  /// Size of the WAL file in bytes (0 when there is none). SQLite does not shrink the file
  /// when it starts the WAL over: this is the largest the WAL has been.
  std::uint64_t wal_size() const;
  const std::filesystem::path& file() const;

  // -- Transactions --------------------------------------------------------------------------

  /// BEGIN IMMEDIATE .. COMMIT. Destruction without commit() rolls back. Not nestable.
  class Transaction {
   public:
    explicit Transaction(Ledger& l);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    /// @throws RuntimeError when the commit fails (the transaction is then rolled back).
    void commit();

   private:
    Ledger* l_;
    bool done_ = false;
  };
  Transaction begin() { return Transaction(*this); }

  /// SAVEPOINT .. RELEASE inside a transaction; destruction without release() rolls back to it.
  class Savepoint {
   public:
    explicit Savepoint(Ledger& l);
    ~Savepoint();
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    void release();
    void rollback();  ///< undo everything since the savepoint (and end it)

   private:
    Ledger* l_;
    bool done_ = false;
    // The ids istd gives next, as at the savepoint (PostgreSQL writer, when known).
    std::optional<std::array<std::int64_t, 8>> ids_;
    // PostgreSQL writer: the savepoint's id among those opened on the server only when needed
    // (ledger_impl.hpp, LazySavepoint); 0 elsewhere.
    std::uint64_t lazy_ = 0;
  };

  // -- Messages ------------------------------------------------------------------------------

  /// Inserts a messages row. @throws RuntimeError (e.g. route_path not unique).
  MessageId add_message(const NewMessage& m);
  /// Inserts a messages row under `m.route_path` or, when another row has that route, under
  /// the name unique_route() would give; `m.route_path` is set to the route used. (One
  /// statement instead of a lookup and an insert: this runs for every message.)
  MessageId add_message_unique_route(NewMessage& m);
  /// Replaces the bytes (and content hash) of an output row built after its id was known.
  void set_message_bytes(MessageId id, std::string_view bytes);
  /// Sets the verdict, level and findings of a row (ingest inserts a row first, then judges).
  void set_message_verdict(MessageId id, Verdict verdict, int level,
                           std::string_view findings_json);
  /// Full row including bytes. @throws RuntimeError when there is no such row.
  MessageRecord message(MessageId id) const;
  /// Input rows with this TR056 key (BerichtCode, Afzender, Identificatie), oldest first.
  std::vector<MessageRecord> inputs_by_key(std::string_view berichtcode, std::string_view afzender,
                                           std::string_view identificatie) const;
  /// Input rows whose bytes are exactly `bytes` (hash, then byte comparison), oldest first.
  std::vector<MessageRecord> inputs_with_bytes(
      std::string_view bytes, std::optional<std::int64_t> hash = std::nullopt) const;
  /// What the intake of a new input asks of earlier rows, read in one statement (and the rows
  /// themselves after it, when it finds some):
  /// `same_bytes` as inputs_with_bytes; `same_key` as inputs_by_key for `key` (BerichtCode,
  /// Afzender, Identificatie; empty when no key is given); `taken`: which of `routes` (at most
  /// two, routes the caller expects to add soon) some row has. On PostgreSQL the routes found
  /// free are remembered until the transaction ends, so that add_message_unique_route with such
  /// a route needs no answer from the server.
  struct EarlierInputs {
    std::vector<MessageRecord> same_bytes, same_key;
    std::vector<std::string> taken;
  };
  struct InputKey {
    std::string_view berichtcode, afzender, identificatie;
  };
  EarlierInputs earlier_inputs(std::string_view bytes, std::int64_t hash,
                               const std::optional<InputKey>& key,
                               const std::vector<std::string>& routes = {});
  /// The id the next messages row will get, when istd numbers the rows itself (PostgreSQL,
  /// inside a write transaction); nullopt when the database numbers them.
  std::optional<MessageId> next_message_id();
  /// How many messages after the one judged may have their reads sent ahead (expect_*) at once:
  /// the server then reads for several messages in one go, while the rules judge this one.
  static constexpr int kMessagesAhead = 8;

  // Inputs too large to hold in memory (over-size files istd ingest quarantines byte for byte)
  // are given as an open file: `fd` is read with pread from offset 0 (never moved or changed),
  // `size` bytes whose content_hash() is `hash`. They are stored raw (uncompressed: compressing
  // would need all of it in memory), in pieces, and read back in pieces.

  /// Inserts an input row (as add_message_unique_route: `m.route_path` made unique and set)
  /// whose bytes are the file's; `m.bytes` and `m.packed` are ignored, `m.content_hash` is set
  /// to `hash`. Nothing is stored (and `changed` returned) when the file does not hold exactly
  /// `size` bytes with that hash any more; nothing either when `size` > max_message_bytes().
  /// @throws RuntimeError on a read or database failure.
  FileInsert add_message_from_file(NewMessage& m, int fd, std::uint64_t size, std::int64_t hash);
  /// Input rows whose bytes are exactly the file's (hash, then compared piece by piece), oldest
  /// first. @throws RuntimeError on a read or database failure.
  std::vector<MessageRecord> inputs_with_file(int fd, std::uint64_t size, std::int64_t hash) const;
  /// Calls `sink` with the bytes of message `id` in order, in pieces of at most 1 MiB (a row
  /// stored compressed: all at once). @throws RuntimeError when there is no such row.
  void stream_bytes(MessageId id, const std::function<void(std::string_view)>& sink) const;
  /// The largest message the ledger can store (SQLite's length limit, about 1 GB).
  std::uint64_t max_message_bytes() const;
  /// The output row answering message `id` (retour or 325), if any.
  std::optional<MessageRecord> reply_of(MessageId id) const;
  /// `wanted` when no message has that route_path yet, otherwise `stem-<n>.ext` for the first
  /// free n >= 2 (deterministic, sees the current transaction).
  std::string unique_route(std::string_view wanted) const;
  /// Rows (any role) whose files are not yet known durable, oldest first, bytes filled (except
  /// bytes stored raw beyond kHeldBytes: `bytes_left_out`, see stream_bytes()).
  std::vector<MessageRecord> unmaterialised() const;
  /// Flags rows as durably written.
  void mark_materialised(const std::vector<MessageId>& ids);
  /// Remembers the output dir; when it differs from the stored one every row is flagged
  /// unmaterialised (outputs are then projected into the new directory). Returns true if changed.
  bool set_out_dir(const std::string& canonical_dir);
  /// Number of message rows (all roles).
  std::int64_t message_count() const;
  /// The highest message id (0 for an empty ledger): outputs are numbered after it.
  MessageId max_message_id() const;

  // -- Allocations -----------------------------------------------------------------------------

  /// Stores a version unless one with the same (gemeente, nummer, datum, tijd) exists.
  /// Returns the existing row's id when it exists (then nothing is written), else the new id;
  /// `inserted` tells which.
  RowId add_allocation_version(const AllocationVersion& v, bool* inserted = nullptr);
  /// Takes the allocation versions stored from message `message_id` (a 301) out of force:
  /// deletes them, so no lookup (nor reconcile) sees them any more (an own 301
  /// rejected by the provider's 302). Returns the distinct ToewijzingNummers removed.
  std::vector<std::int64_t> withdraw_allocations_of(MessageId message_id);
  /// The version with the same (gemeente, nummer, datum, tijd), if any.
  std::optional<AllocationVersion> allocation_version_at(std::string_view gemeente,
                                                         std::int64_t nummer,
                                                         std::string_view toewijzingsdatum,
                                                         std::string_view toewijzingstijd) const;
  /// Current version (latest Toewijzingsdatum/-tijd) of (gemeente, ToewijzingNummer).
  std::optional<AllocationVersion> current_allocation(std::string_view gemeente,
                                                      std::int64_t nummer) const;
  /// Every version of (gemeente, ToewijzingNummer), oldest first.
  std::vector<AllocationVersion> allocation_history(std::string_view gemeente,
                                                    std::int64_t nummer) const;
  /// Current versions of all allocations of a Bsn (any gemeente/provider), by (gemeente, nummer).
  std::vector<AllocationVersion> allocations_of_bsn(std::string_view bsn) const;
  /// Current versions of all allocations of a provider (optionally of one gemeente).
  std::vector<AllocationVersion> allocations_of_provider(
      std::string_view agb, std::optional<std::string_view> gemeente = std::nullopt) const;
  /// Current versions of all allocations of one client at one provider of one gemeente
  /// (the full-state set a 301 must list, OP087).
  std::vector<AllocationVersion> allocations_of_client(std::string_view gemeente,
                                                       std::string_view agb,
                                                       std::string_view bsn) const;

  // -- Starts and stops ------------------------------------------------------------------------

  RowId add_start(const StartRecord& s);
  RowId add_stop(const StopRecord& s);
  void delete_start(RowId id, MessageId by);
  void delete_stop(RowId id, MessageId by);
  /// The live start with exactly this logical key (NULL matches NULL), if any.
  std::optional<StartRecord> live_start(const StartKey& k) const;
  /// The live stop with exactly this key, if any.
  std::optional<StopRecord> live_stop(const StartKey& k, std::string_view reden,
                                      std::string_view einddatum) const;
  /// Live starts of (agb, gemeente, bsn, nummer) (nummer NULL matches NULL), by Begindatum.
  std::vector<StartRecord> live_starts(std::string_view agb, std::string_view gemeente,
                                       std::string_view bsn,
                                       std::optional<std::int64_t> nummer) const;
  /// Live stops of (agb, gemeente, bsn, nummer), by (Begindatum, Einddatum).
  std::vector<StopRecord> live_stops(std::string_view agb, std::string_view gemeente,
                                     std::string_view bsn,
                                     std::optional<std::int64_t> nummer) const;
  /// What a new start or stop with key `k` is judged against: current_allocation of its
  /// ToewijzingNummer (none without one), live_starts and live_stops of (agb, gemeente, bsn,
  /// nummer), read in one statement.
  AllocationState allocation_state(const StartKey& k) const;
  /// A PostgreSQL writer sends allocation_state's reads for `k` now, so that they share the
  /// round trip of the next read (Ledger::earlier_inputs at a message's arrival). A later
  /// allocation_state(k) takes these answers unless a statement that may change allocations,
  /// starts or stops ran in between. Elsewhere (SQLite, outside a write transaction) nothing.
  void expect_allocation_state(const StartKey& k);
  /// As expect_allocation_state, for earlier_inputs(bytes, hash, key, routes): sent for the next
  /// message while this one is judged (its held rows are looked at when it is taken).
  void expect_earlier_inputs(std::string_view bytes, std::int64_t hash,
                             const std::optional<InputKey>& key,
                             const std::vector<std::string>& routes);
  /// As expect_allocation_state, for allocation_history(gemeente, nummer).
  void expect_allocation_history(std::string_view gemeente, std::int64_t nummer);
  /// As expect_allocation_state, for allocations_of_client(gemeente, agb, bsn): the first of
  /// its reads (which allocations); their current versions are read when it is called.
  void expect_allocations_of_client(std::string_view gemeente, std::string_view agb,
                                    std::string_view bsn);
  /// As expect_allocation_state, for allocation_version_at(gemeente, nummer, datum, tijd).
  void expect_allocation_version_at(std::string_view gemeente, std::int64_t nummer,
                                    std::string_view toewijzingsdatum,
                                    std::string_view toewijzingstijd);
  /// Starts / stops of a Bsn (any provider, gemeente, allocation), optionally incl. deleted
  /// ones, ordered by (gemeente, nummer, begindatum, id) — for `istd timeline`.
  std::vector<StartRecord> starts_of_bsn(std::string_view bsn, bool include_deleted) const;
  std::vector<StopRecord> stops_of_bsn(std::string_view bsn, bool include_deleted) const;

  // -- Declarations and prestaties ---------------------------------------------------------------

  RowId add_declaration(const DeclarationRecord& d);
  RowId add_prestatie(const PrestatieRecord& p);
  std::optional<DeclarationRecord> declaration(RowId id) const;
  /// Declarations with status pending, oldest first (reconcile's work list).
  std::vector<DeclarationRecord> pending_declarations() const;
  /// Declarations whose DeclaratiePeriode is the month (year, month), oldest first; optionally
  /// of one provider and/or gemeente.
  std::vector<DeclarationRecord> declarations_in_month(
      int year, int month, std::optional<std::string_view> agb = std::nullopt,
      std::optional<std::string_view> gemeente = std::nullopt) const;
  /// Declarations of a provider with this DeclaratieNummer (TR333), oldest first.
  std::vector<DeclarationRecord> declarations_by_nummer(std::string_view agb,
                                                        std::string_view declaratie_nummer) const;
  /// Lines of one declaration in document order.
  std::vector<PrestatieRecord> prestaties_of_declaration(RowId declaration_id) const;
  /// Lines of a provider with this ReferentieNummer (any declaration, any verdict), oldest first.
  std::vector<PrestatieRecord> prestaties_by_referentie(std::string_view agb,
                                                        std::string_view referentie_nummer) const;
  /// Lines of a provider with this functional key (ToewijzingNummer, categorie, code,
  /// ProductPeriode), any verdict, oldest first.
  std::vector<PrestatieRecord> prestaties_by_functional_key(
      std::string_view agb, std::int64_t toewijzing_nummer, std::string_view categorie,
      std::string_view code, std::string_view periode_begin, std::string_view periode_eind) const;
  /// All lines of a provider on one allocation (TR322 cumulative volume, TR385), oldest first.
  std::vector<PrestatieRecord> prestaties_of_allocation(std::string_view agb,
                                                        std::int64_t toewijzing_nummer) const;

  /// Records a line's verdict and codes (reconcile).
  void set_prestatie_verdict(RowId prestatie_id, PrestatieVerdict v,
                             const std::vector<std::string>& retourcodes);
  /// A line's verdict and codes, for set_prestatie_verdicts.
  struct PrestatieVerdictUpdate {
    RowId prestatie_id = 0;
    PrestatieVerdict verdict = PrestatieVerdict::pending;
    std::vector<std::string> retourcodes;
  };
  /// set_prestatie_verdict for many lines (a declaration's): on PostgreSQL a few statements
  /// instead of one per line.
  void set_prestatie_verdicts(const std::vector<PrestatieVerdictUpdate>& updates);
  /// Records that approved credit line `credit_id` credited debit line `debit_id`.
  void set_credited_by(RowId debit_id, RowId credit_id);
  /// Marks a declaration answered by the 325 `answer` with these (DeclaratieAntwoord or header)
  /// codes.
  void set_declaration_answered(RowId declaration_id, const std::vector<std::string>& retourcodes,
                                MessageId answer);

  // -- The CAK start/stop list (cak_register.cpp) ----------------------------------------------

  /// Every episode ever reported (withdrawn ones included), by eb_start_nummer.
  // ---- requests and answers (315/317/319; requests.cpp) ----------------------------------
  void add_request(const RequestRecord& r);
  void add_answer(const AnswerRecord& a);
  /// Requests of a provider with this ReferentieAanbieder (any gemeente), oldest first.
  std::vector<RequestRecord> requests_with_reference(std::string_view agb,
                                                     std::string_view referentie) const;
  /// 319s of a provider's reference, oldest first.
  std::vector<AnswerRecord> answers_of_reference(std::string_view agb,
                                                 std::string_view referentie) const;
  /// True when an allocation version of this provider carries the ReferentieAanbieder.
  bool reference_allocated(std::string_view agb, std::string_view referentie) const;
  /// True when a request of this provider for this client with this ReferentieAanbieder said
  /// GezagsdragerBekend 1 (iJw: the provider knows who holds parental authority).
  bool gezagsdrager_known(std::string_view agb, std::string_view bsn,
                          std::string_view referentie) const;
  /// The latest answer to this provider's requests for this client that names a gemeente
  /// under Woonplaatsbeginsel (iJw), if any.
  std::optional<WoonplaatsbeginselAnswer> last_woonplaatsbeginsel(std::string_view agb,
                                                                  std::string_view bsn) const;
  /// True when this provider sent a request for this client, other than the message
  /// `except`, after the message `after` (ledger order).
  bool request_since(std::string_view agb, std::string_view bsn, MessageId after,
                     MessageId except) const;
  /// Requests of one client at one provider of one gemeente, with their status, oldest first.
  std::vector<RequestStatus> requests_of_client(std::string_view gemeente, std::string_view agb,
                                                std::string_view bsn) const;
  /// Requests of a Bsn (any gemeente or provider) with their status, oldest first.
  std::vector<RequestStatus> requests_of_bsn(std::string_view bsn) const;
  /// Every request with its status (optionally of one party, gemeente or provider), oldest
  /// first: the worklist's request-open items and the timeline.
  std::vector<RequestStatus> request_statuses(std::string_view party = {}) const;

  std::vector<CakEpisodeRecord> cak_episodes() const;
  /// The exports made so far, oldest first.
  std::vector<CakExportRecord> cak_exports() const;
  /// The lines of export `number` in their order (empty when there is no such export).
  std::vector<CakLineRecord> cak_lines(std::int64_t number) const;
  /// Records export `e` (its number must be the next one: 1 + the last), its lines and the
  /// episodes they create or change (inserted or replaced by eb_start_nummer), in one
  /// transaction. `e.made_at` is set here.
  /// @throws ConfigError when another export with that number was recorded meanwhile (two
  ///         runs at once; nothing is written); RuntimeError on database failure.
  void record_cak_export(CakExportRecord& e, const std::vector<CakLineRecord>& lines,
                         const std::vector<CakEpisodeRecord>& episodes);

  // -- Diagnostics ---------------------------------------------------------------------------

  /// A canonical text dump of every table (no timestamps), for the crash tests and `--dump`.
  std::string dump() const;

  struct Impl;

 private:
  /// `zero_bytes`: the message_bytes row is that many zero bytes, to be overwritten in pieces.
  MessageId insert_message(const NewMessage& m, std::string* free_route,
                           std::optional<std::uint64_t> zero_bytes = std::nullopt);
  std::unique_ptr<Impl> impl_;
  friend class Transaction;
  friend class Savepoint;
};

/// The delivery intervals of allocation (gemeente, nummer): current version +
/// live starts/stops of the same AGB, gemeente, Bsn and number. nullopt when unknown.
/// @throws RuntimeError on database failure.
std::optional<delivery::Result> delivery_intervals(const Ledger& ledger, std::string_view gemeente,
                                                   std::int64_t nummer,
                                                   const delivery::Options& options = {});

}  // namespace istd::ledger

// The ledger's schema on PostgreSQL and its migrations (the tables are documented in
// ledger.hpp; the SQLite migrations are in ledger.cpp). Both backends count the same schema
// versions: a PostgreSQL ledger is created at version 7 in one step (the baseline), and every
// later migration is added to both lists.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/ledger/ledger_impl.hpp"
#include "core/ledger/pg.hpp"

namespace istd::ledger {

namespace {

// Schema version 7, as the SQLite migrations 0 -> 7 leave it (same tables, columns in the same
// order, same indexes). INTEGER is BIGINT and BLOB is BYTEA; text compares bytewise (COLLATE
// "C"), as in SQLite, whatever the database's locale.
constexpr std::string_view kBaseline = R"sql(
CREATE TABLE meta(key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL);
CREATE TABLE messages(
  id BIGINT PRIMARY KEY,
  role TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  berichtcode TEXT COLLATE "C" NOT NULL,
  afzender TEXT COLLATE "C" NOT NULL,
  ontvanger TEXT COLLATE "C" NOT NULL,
  identificatie TEXT COLLATE "C" NOT NULL,
  dagtekening TEXT COLLATE "C" NOT NULL,
  xsd_basis TEXT COLLATE "C" NOT NULL,
  xsd_bericht TEXT COLLATE "C" NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  content_hash BIGINT NOT NULL,
  verdict TEXT COLLATE "C" NOT NULL,
  level BIGINT NOT NULL,
  findings TEXT COLLATE "C" NOT NULL,
  reply_to BIGINT REFERENCES messages(id),
  route_path TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C",
  received_at TEXT COLLATE "C" NOT NULL);
CREATE TABLE message_bytes(
  id BIGINT PRIMARY KEY REFERENCES messages(id),
  bytes BYTEA NOT NULL,
  encoding BIGINT NOT NULL DEFAULT 0);
CREATE TABLE unwritten(id BIGINT PRIMARY KEY REFERENCES messages(id));
CREATE INDEX messages_tr056 ON messages(berichtcode, afzender, identificatie)
  WHERE role = 'input';
CREATE INDEX messages_hash ON messages(content_hash) WHERE role = 'input';
CREATE UNIQUE INDEX messages_route ON messages(route_path);
CREATE INDEX messages_reply ON messages(reply_to) WHERE reply_to IS NOT NULL;

CREATE TABLE allocation_versions(
  id BIGINT PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages(id),
  gemeente TEXT COLLATE "C" NOT NULL,
  toewijzing_nummer BIGINT NOT NULL,
  toewijzingsdatum TEXT COLLATE "C" NOT NULL,
  toewijzingstijd TEXT COLLATE "C" NOT NULL,
  bsn TEXT COLLATE "C" NOT NULL,
  agb TEXT COLLATE "C" NOT NULL,
  categorie TEXT COLLATE "C", code TEXT COLLATE "C",
  ingangsdatum TEXT COLLATE "C" NOT NULL,
  einddatum TEXT COLLATE "C",
  reden_wijziging TEXT COLLATE "C",
  volume BIGINT, eenheid TEXT COLLATE "C", frequentie TEXT COLLATE "C",
  budget BIGINT,
  referentie_aanbieder TEXT COLLATE "C",
  domain TEXT COLLATE "C" NOT NULL DEFAULT 'wmo',
  UNIQUE(gemeente, toewijzing_nummer, toewijzingsdatum, toewijzingstijd, domain));
CREATE INDEX allocation_bsn ON allocation_versions(bsn);
CREATE INDEX allocation_client ON allocation_versions(gemeente, agb, bsn);
CREATE INDEX allocation_agb ON allocation_versions(agb, gemeente);
CREATE INDEX allocation_ref ON allocation_versions(agb, referentie_aanbieder)
  WHERE referentie_aanbieder IS NOT NULL;

CREATE TABLE starts(
  id BIGINT PRIMARY KEY,
  agb TEXT COLLATE "C" NOT NULL, gemeente TEXT COLLATE "C" NOT NULL, bsn TEXT COLLATE "C" NOT NULL,
  toewijzing_nummer BIGINT, categorie TEXT COLLATE "C", code TEXT COLLATE "C",
  begindatum TEXT COLLATE "C" NOT NULL,
  toewijzing_ingangsdatum TEXT COLLATE "C",
  inserted_by BIGINT NOT NULL REFERENCES messages(id),
  deleted_by BIGINT REFERENCES messages(id),
  domain TEXT COLLATE "C" NOT NULL DEFAULT 'wmo');
CREATE INDEX starts_scope ON starts(bsn, toewijzing_nummer, agb, gemeente);
CREATE TABLE stops(
  id BIGINT PRIMARY KEY,
  agb TEXT COLLATE "C" NOT NULL, gemeente TEXT COLLATE "C" NOT NULL, bsn TEXT COLLATE "C" NOT NULL,
  toewijzing_nummer BIGINT, categorie TEXT COLLATE "C", code TEXT COLLATE "C",
  begindatum TEXT COLLATE "C" NOT NULL,
  toewijzing_ingangsdatum TEXT COLLATE "C",
  reden_beeindiging TEXT COLLATE "C" NOT NULL,
  einddatum TEXT COLLATE "C" NOT NULL,
  inserted_by BIGINT NOT NULL REFERENCES messages(id),
  deleted_by BIGINT REFERENCES messages(id),
  domain TEXT COLLATE "C" NOT NULL DEFAULT 'wmo');
CREATE INDEX stops_scope ON stops(bsn, toewijzing_nummer, agb, gemeente);

CREATE TABLE declarations(
  id BIGINT PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages(id),
  agb TEXT COLLATE "C" NOT NULL, gemeente TEXT COLLATE "C" NOT NULL,
  declaratie_nummer TEXT COLLATE "C" NOT NULL,
  periode_begin TEXT COLLATE "C" NOT NULL, periode_eind TEXT COLLATE "C" NOT NULL,
  declaratie_dagtekening TEXT COLLATE "C" NOT NULL,
  totaal_bedrag BIGINT NOT NULL, totaal_dc TEXT COLLATE "C" NOT NULL,
  identificatie TEXT COLLATE "C" NOT NULL, dagtekening TEXT COLLATE "C" NOT NULL,
  xsd_basis TEXT COLLATE "C" NOT NULL, xsd_bericht TEXT COLLATE "C" NOT NULL,
  intake_codes TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  retourcodes TEXT COLLATE "C" NOT NULL,
  answer_message_id BIGINT REFERENCES messages(id),
  domain TEXT COLLATE "C" NOT NULL DEFAULT 'wmo');
CREATE INDEX declarations_status ON declarations(status);
CREATE INDEX declarations_periode ON declarations(periode_begin);
CREATE INDEX declarations_nummer ON declarations(agb, declaratie_nummer);

CREATE TABLE prestaties(
  id BIGINT PRIMARY KEY,
  declaration_id BIGINT NOT NULL REFERENCES declarations(id),
  position BIGINT NOT NULL,
  agb TEXT COLLATE "C" NOT NULL, gemeente TEXT COLLATE "C" NOT NULL, bsn TEXT COLLATE "C" NOT NULL,
  referentie_nummer TEXT COLLATE "C" NOT NULL,
  vorig_referentie_nummer TEXT COLLATE "C",
  toewijzing_nummer BIGINT NOT NULL,
  product_categorie TEXT COLLATE "C" NOT NULL, product_code TEXT COLLATE "C" NOT NULL,
  periode_begin TEXT COLLATE "C" NOT NULL, periode_eind TEXT COLLATE "C" NOT NULL,
  geleverd_volume BIGINT NOT NULL,
  eenheid TEXT COLLATE "C" NOT NULL,
  product_tarief BIGINT,
  bedrag BIGINT NOT NULL,
  debet_credit TEXT COLLATE "C" NOT NULL,
  verdict TEXT COLLATE "C" NOT NULL,
  retourcodes TEXT COLLATE "C" NOT NULL,
  credited_by BIGINT REFERENCES prestaties(id),
  domain TEXT COLLATE "C" NOT NULL DEFAULT 'wmo');
CREATE INDEX prestaties_ref ON prestaties(agb, referentie_nummer);
CREATE INDEX prestaties_func ON prestaties(agb, toewijzing_nummer, product_categorie,
  product_code, periode_begin, periode_eind);
CREATE INDEX prestaties_decl ON prestaties(declaration_id);

CREATE TABLE cak_exports(
  number BIGINT PRIMARY KEY,
  made_on TEXT COLLATE "C" NOT NULL,
  made_at TEXT COLLATE "C" NOT NULL,
  line_count BIGINT NOT NULL);
CREATE TABLE cak_lines(
  export_number BIGINT NOT NULL REFERENCES cak_exports(number),
  seq BIGINT NOT NULL,
  gemeente TEXT COLLATE "C" NOT NULL, bsn TEXT COLLATE "C" NOT NULL,
  eb_start_nummer BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  datum TEXT COLLATE "C" NOT NULL,
  previous TEXT COLLATE "C",
  status BIGINT NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  toelichting TEXT COLLATE "C" NOT NULL,
  evidence TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(export_number, seq));
CREATE TABLE cak_episodes(
  eb_start_nummer BIGINT PRIMARY KEY,
  gemeente TEXT COLLATE "C" NOT NULL, bsn TEXT COLLATE "C" NOT NULL,
  startdatum TEXT COLLATE "C" NOT NULL,
  stopdatum TEXT COLLATE "C",
  withdrawn BIGINT NOT NULL,
  first_export BIGINT NOT NULL REFERENCES cak_exports(number));
CREATE INDEX cak_episodes_person ON cak_episodes(gemeente, bsn);

CREATE TABLE requests(
  id BIGINT PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages(id),
  type TEXT COLLATE "C" NOT NULL,
  gemeente TEXT COLLATE "C" NOT NULL, agb TEXT COLLATE "C" NOT NULL, bsn TEXT COLLATE "C" NOT NULL,
  referentie TEXT COLLATE "C" NOT NULL,
  dagtekening TEXT COLLATE "C" NOT NULL,
  summary TEXT COLLATE "C" NOT NULL,
  domain TEXT COLLATE "C" NOT NULL DEFAULT 'wmo',
  gezagsdrager_bekend TEXT COLLATE "C");
CREATE INDEX requests_ref ON requests(agb, referentie);
CREATE INDEX requests_client ON requests(gemeente, agb, bsn);
CREATE INDEX requests_bsn ON requests(agb, bsn);
CREATE TABLE answers(
  id BIGINT PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages(id),
  gemeente TEXT COLLATE "C" NOT NULL, agb TEXT COLLATE "C" NOT NULL,
  referentie TEXT COLLATE "C" NOT NULL,
  verzoek_antwoord TEXT COLLATE "C" NOT NULL,
  reden TEXT COLLATE "C",
  dagtekening TEXT COLLATE "C" NOT NULL,
  domain TEXT COLLATE "C" NOT NULL DEFAULT 'wmo',
  woonplaatsbeginsel_gemeente TEXT COLLATE "C");
CREATE INDEX answers_ref ON answers(agb, referentie);
)sql";

// Tables whose rows get the next id when the insert names none: the highest id + 1, as SQLite
// gives a rowid. Writers run one at a time (Connection::begin_write), so two never take the same
// number, and a rolled-back row leaves no gap: the same inputs give the same ids (and the same
// IdentificatieRetour) on both backends.
constexpr const char* kNumbered[] = {"messages",   "allocation_versions", "starts",
                                     "stops",      "declarations",        "prestaties",
                                     "requests",   "answers"};

std::string baseline() {
  std::string sql(kBaseline);
  for (const char* t : kNumbered)
    sql += fmt::format(
        "CREATE FUNCTION {0}_next_id() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
        "IF NEW.id IS NULL THEN SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM {0}; END IF; "
        "RETURN NEW; END $f$;\n"
        "CREATE TRIGGER {0}_next_id BEFORE INSERT ON {0} FOR EACH ROW "
        "EXECUTE FUNCTION {0}_next_id();\n",
        t);
  return sql;
}

// 7 -> 8: message_bytes and unwritten, parts of a message row written with it, without foreign
// keys to messages: for each row written the server looked up and locked its message row
// (ledger.hpp).
std::string drop_part_keys() {
  return "ALTER TABLE message_bytes DROP CONSTRAINT message_bytes_id_fkey;"
         "ALTER TABLE unwritten DROP CONSTRAINT unwritten_id_fkey;";
}

// A migration brings a PostgreSQL ledger from version `from` to `to`.
struct Migration {
  int from, to;
  std::string (*sql)();
};
const Migration kPgMigrations[] = {
    {0, 7, baseline},
    {7, 8, drop_part_keys},
};

}  // namespace

int open_postgresql(Ledger::Impl& im, bool create) {
  auto& c = *im.pg;
  c.begin_write();
  try {
    bool has_version = false, has_tables = false;
    {
      auto s = im.prepare(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
      while (s.step()) {
        has_tables = true;
        if (s.text(0) == "schema_version") has_version = true;
      }
    }
    int version = 0;
    if (has_version) {
      auto s = im.prepare("SELECT version FROM schema_version");
      if (s.step()) version = static_cast<int>(s.i64(0));
    } else if (has_tables) {
      throw ConfigError(fmt::format(
          "ledger {}: not an istd ledger (the database's schema has tables but no "
          "schema_version)",
          im.where));
    } else if (!create) {
      throw ConfigError(fmt::format("ledger {}: no istd ledger in this database", im.where));
    } else {
      c.exec("CREATE TABLE schema_version(version BIGINT NOT NULL);"
             "INSERT INTO schema_version VALUES (0)");
    }
    if (version > kSchemaVersion)
      throw ConfigError(fmt::format(
          "ledger {} has schema version {}, newer than this istd supports ({}); use a newer "
          "istd",
          im.where, version, kSchemaVersion));
    while (version < kSchemaVersion) {
      const Migration* m = nullptr;
      for (const auto& x : kPgMigrations)
        if (x.from == version) m = &x;
      if (!m)
        throw ConfigError(fmt::format("ledger {}: no migration from schema version {}",
                                      im.where, version));
      c.exec(m->sql());
      c.exec(fmt::format("UPDATE schema_version SET version = {}", m->to));
      version = m->to;
    }
    c.commit();
    return version;
  } catch (...) {
    try {
      c.rollback();
    } catch (...) {
    }
    throw;
  }
}

}  // namespace istd::ledger

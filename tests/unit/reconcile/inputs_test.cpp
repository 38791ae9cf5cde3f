// Policy file, billing CSV and tariffs CSV: amounts in euros as people write them, the CSV
// dialects of spreadsheets (',', ';' or TAB, quotes, CRLF, BOM), exact file:line errors.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/reconcile/billing.hpp"
#include "core/reconcile/csv.hpp"
#include "core/reconcile/policy.hpp"
#include "core/reconcile/tariffs.hpp"

using namespace istd::reconcile;
using istd::ConfigError;

namespace {

constexpr const char* kEuro = "\xE2\x82\xAC";
constexpr const char* kBom = "\xEF\xBB\xBF";

/// One way to write a CSV file: separator, quoting, line end, BOM.
struct Dialect {
  char separator;
  bool quote_all;
  bool crlf;
  bool bom;
};

std::vector<Dialect> all_dialects() {
  std::vector<Dialect> out;
  for (char sep : {',', ';', '\t'})
    for (bool quote_all : {false, true})
      for (bool crlf : {false, true})
        for (bool bom : {false, true}) out.push_back({sep, quote_all, crlf, bom});
  return out;
}

std::string describe(const Dialect& d) {
  return std::string("separator ") + (d.separator == '\t' ? "TAB" : std::string(1, d.separator)) +
         (d.quote_all ? ", all quoted" : "") + (d.crlf ? ", CRLF" : "") + (d.bom ? ", BOM" : "");
}

/// Writes rows in dialect `d` as a spreadsheet would: a field is quoted when asked to or when it
/// holds the separator or a quote (doubled inside); a blank line after the header.
std::string write_csv(const Dialect& d, const std::vector<std::vector<std::string>>& rows) {
  const std::string eol = d.crlf ? "\r\n" : "\n";
  std::string out = d.bom ? kBom : "";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      const std::string& f = rows[r][i];
      if (i) out += d.separator;
      if (d.quote_all || f.find(d.separator) != std::string::npos ||
          f.find('"') != std::string::npos) {
        out += '"';
        for (char c : f) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
      } else {
        out += f;
      }
    }
    out += eol;
    if (r == 0) out += eol;  // blank lines are ignored
  }
  return out;
}

/// The forms of EUR 21,00 (and of other amounts) people write.
std::vector<std::string> forms_of(const std::string& euros, const std::string& cents) {
  return {euros + "," + cents, euros + "." + cents, std::string(kEuro) + " " + euros + "," + cents,
          cents == "00" ? euros : euros + "," + cents.substr(0, cents.back() == '0' ? 1 : 2)};
}

/// The message of the ConfigError `f` throws ("" if none).
template <typename F>
std::string config_error(F f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("reconcile") {
  TEST_CASE("reconcile: policy defaults") {
    Policy p = Policy::parse("", "p.conf");
    CHECK(p.trigger == Trigger::delivery);
    CHECK(p.pause_suspends);
    CHECK_FALSE(p.start_month_billed);
    CHECK(p.minors_exempt);
    CHECK(p.einddatum_inclusive);
    CHECK(p.exempt_categories == std::set<std::string>{"11", "15", "16", "17", "18"});
    CHECK(p.amounts.at(2024) == 2060);
    CHECK(p.amounts.at(2025) == 2100);
    CHECK(p.amounts.count(2026) == 0);
    CHECK_FALSE(p.reject_before_start.has_value());
    // The defaults text shows euros and parses back to the defaults.
    const std::string text = Policy::defaults_text();
    CHECK(text.find("amount.2024 = 20,60\n") != std::string::npos);
    CHECK(text.find("amount.2025 = 21,00\n") != std::string::npos);
    Policy q = Policy::parse(text, "defaults");
    CHECK(q.amounts == p.amounts);
    CHECK(q.exempt_categories == p.exempt_categories);
  }

  TEST_CASE("reconcile: policy file sets every key") {
    Policy p = Policy::parse(
        "# municipality X\n"
        "trigger = allocation\n"
        "pause_suspends = false  # bill paused months\n"
        "start_month_billed = true\n"
        "exempt_categories = 08, 11 15\n"
        "minors_exempt = false\n"
        "minors_charged_categories = none\n"
        "einddatum_inclusive = false\n"
        "tr318_delivery_evidence = false\n"
        "reject_before_start = 9307\n"
        "reject_in_pause = 9308\n"
        "amount.2026 = 21,60\n"
        "amount.2020 = unknown\n",
        "p.conf");
    CHECK(p.trigger == Trigger::allocation);
    CHECK_FALSE(p.pause_suspends);
    CHECK(p.start_month_billed);
    CHECK(p.exempt_categories == std::set<std::string>{"08", "11", "15"});
    CHECK_FALSE(p.minors_exempt);
    CHECK(p.minors_charged_categories.empty());
    CHECK_FALSE(p.einddatum_inclusive);
    CHECK_FALSE(p.tr318_delivery_evidence);
    CHECK(p.reject_before_start == "9307");
    CHECK(p.reject_in_pause == "9308");
    CHECK(p.amounts.at(2026) == 2160);
    CHECK(p.amounts.count(2020) == 0);
  }

  TEST_CASE("reconcile: policy amounts in euros in every form give the same amounts") {
    for (const std::string& form : forms_of("21", "60")) {
      for (const std::string& bom : {std::string(), std::string(kBom)}) {
        for (const std::string& eol : {std::string("\n"), std::string("\r\n")}) {
          CAPTURE(form);
          CAPTURE(eol.size());
          CAPTURE(bom.size());
          Policy p = Policy::parse(bom + "amount.2026 = " + form + "  # indexed" + eol +
                                       "amount.2025=" + form + eol,
                                   "p.conf");
          CHECK(p.amounts.at(2026) == 2160);
          CHECK(p.amounts.at(2025) == 2160);
        }
      }
    }
    for (const char* form : {"21", "21,00", "21.00", "21,0", "EUR 21,00", "21,00 EUR"})
      CHECK(Policy::parse(std::string("amount.2026 = ") + form, "p.conf").amounts.at(2026) ==
            2100);
    CHECK(Policy::parse(std::string("amount.2026 = ") + kEuro + "21,00", "p.conf")
              .amounts.at(2026) == 2100);
  }

  TEST_CASE("reconcile: policy errors name file and line") {
    CHECK_THROWS_WITH_AS(Policy::parse("trigger = delivery\n\nfoo = 1\n", "p.conf"),
                         "p.conf:3: unknown key \"foo\"", ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("trigger = cak\n", "p.conf"),
                         "p.conf:1: trigger must be delivery, allocation or declaration, not "
                         "\"cak\"",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("pause_suspends = yes\n", "p.conf"),
                         "p.conf:1: pause_suspends must be true or false, not \"yes\"",
                         ConfigError);
    // Three decimals: 21,605 could be 21605 euros written the English way.
    CHECK_THROWS_WITH_AS(Policy::parse("amount.2026 = 21,605\n", "p.conf"),
                         "p.conf:1: amount.2026 must be an amount in euros (e.g. 21,00) or "
                         "unknown, not \"21,605\": ambiguous: thousands or more than two "
                         "decimals? Write 1234,00 or 1.234,00",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("amount.2026 = 21,6050\n", "p.conf"),
                         "p.conf:1: amount.2026 must be an amount in euros (e.g. 21,00) or "
                         "unknown, not \"21,6050\": more than two decimals; amounts are in euros "
                         "with at most two decimals",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("# 2026\n\namount.2026 = 1.234\n", "p.conf"),
                         "p.conf:3: amount.2026 must be an amount in euros (e.g. 21,00) or "
                         "unknown, not \"1.234\": ambiguous: thousands or more than two "
                         "decimals? Write 1234,00 or 1.234,00",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("amount.2026 = 2160\n", "p.conf"),
                         "p.conf:1: amount.2026 must be more than EUR 0,00 and at most EUR "
                         "1.000,00, not \"2160\" (EUR 2.160,00; amounts are in euros, e.g. 21,00)",
                         ConfigError);
    for (const char* bad : {"abc", "21,00,00", "0", "0,00", "-21,00", "21 60", "unknow"}) {
      CAPTURE(bad);
      const std::string what =
          config_error([&] { Policy::parse(std::string("amount.2026 = ") + bad, "p.conf"); });
      CHECK(what.rfind("p.conf:1: amount.2026 must be ", 0) == 0);
    }
    CHECK_THROWS_WITH_AS(Policy::parse("amount.26 = 21,00\n", "p.conf"),
                         "p.conf:1: unknown key \"amount.26\" (amounts are amount.YYYY with a "
                         "year 2020..2099)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("reject_in_pause = X123\n", "p.conf"),
                         "p.conf:1: reject_in_pause must be off or a rejection retourcode of the "
                         "iWmo 3.2 list (e.g. 9307), not \"X123\"",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("exempt_categories = 1\n", "p.conf"),
                         "p.conf:1: bad product category \"1\" (two digits, e.g. 08)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("trigger delivery\n", "p.conf"),
                         "p.conf:1: expected \"key = value\", got \"trigger delivery\"",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("trigger = delivery\ntrigger = allocation\n", "p.conf"),
                         "p.conf:2: trigger is set twice", ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("minors_exempt =\n", "p.conf"),
                         "p.conf:1: missing value for minors_exempt", ConfigError);
  }

  TEST_CASE("reconcile: billing CSV with optional household, any column order, CRLF") {
    auto b = parse_billing("month;bsn;amount;household\r\n2025-04;999990019;21,00;H1\r\n\r\n"
                           "2025-05;999990020;\"21,00\";H1\r\n",
                           "b.csv");
    REQUIRE(b.size() == 2);
    CHECK(b[0].bsn == "999990019");
    CHECK(b[0].year == 2025);
    CHECK(b[0].month == 4);
    CHECK(b[0].amount == 2100);
    CHECK(b[0].household == "H1");
    CHECK(b[1].amount == 2100);
    CHECK(b[1].line == 4);
    auto c = parse_billing("bsn,month,amount\n999990019,2025-04,21\n999990019,2025-04,21.00\n",
                           "b.csv");
    CHECK(c.size() == 2);  // two lines for one household-month are data
    CHECK(c[1].household.empty());
  }

  TEST_CASE("reconcile: billing CSV in every separator, quoting, line end, BOM and amount form") {
    const std::vector<std::string> header{"bsn", "month", "amount", "household"};
    int variants = 0;
    for (const Dialect& d : all_dialects()) {
      const auto forms = forms_of("21", "00");
      const auto forms_2060 = forms_of("20", "60");
      for (std::size_t f = 0; f < forms.size(); ++f) {
        // A household name with the other separators and a quote in it.
        const std::string text =
            write_csv(d, {header,
                          {"999990019", "2025-04", forms[f], "H1"},
                          {"999990020", "2025-05", forms_2060[f], "Smit; de \"Vries\", J."},
                          {"999990019", "2025-06", "0", "H1"}});
        CAPTURE(describe(d));
        CAPTURE(text);
        const auto b = parse_billing(text, "b.csv");
        REQUIRE(b.size() == 3);
        CHECK(b[0].bsn == "999990019");
        CHECK(b[0].month == 4);
        CHECK(b[0].amount == 2100);
        CHECK(b[0].household == "H1");
        CHECK(b[0].line == 3);
        CHECK(b[1].amount == 2060);
        CHECK(b[1].household == "Smit; de \"Vries\", J.");
        CHECK(b[1].line == 4);
        CHECK(b[2].amount == 0);
        ++variants;
      }
    }
    CHECK(variants == 96);
  }

  TEST_CASE("reconcile: CSV header with spaces, quotes, blank and empty lines") {
    auto b = parse_billing("\n bsn ; \"month\" ;amount\n;;\n999990019 ; 2025-04 ; \"21,00\" \n"
                           "  \n;;\n",
                           "b.csv");
    REQUIRE(b.size() == 1);
    CHECK(b[0].bsn == "999990019");
    CHECK(b[0].month == 4);
    CHECK(b[0].amount == 2100);
    CHECK(b[0].line == 4);
    // Line breaks inside a quoted field: the row keeps the number of its first line.
    auto c = parse_billing("bsn,household,month,amount\n999990019,\"H\n1\",2025-04,21\n"
                           "999990020,H2,2025-04,21\n",
                           "b.csv");
    REQUIRE(c.size() == 2);
    CHECK(c[0].household == "H\n1");
    CHECK(c[1].line == 4);
    const auto t = csv::read("a\tb\n1\t\"2\t3\"\n", "x.tsv", {"a", "b"}, {});
    CHECK(t.separator == '\t');
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].fields == std::vector<std::string>{"1", "2\t3"});
  }

  TEST_CASE("reconcile: billing CSV errors name file and line") {
    CHECK_THROWS_WITH_AS(parse_billing("bsn;maand;amount\n", "b.csv"),
                         "b.csv:1: unknown column \"maand\" in the header (separated by ';'); "
                         "expected bsn;month;amount[;household] in any order",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,amount\n", "b.csv"),
                         "b.csv:1: missing column \"month\" in the header (separated by ','); "
                         "expected bsn,month,amount[,household] in any order",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn\tmonth\tbsn\tamount\n", "b.csv"),
                         "b.csv:1: duplicate column \"bsn\" in the header (separated by TAB); "
                         "expected bsn<TAB>month<TAB>amount[<TAB>household] in any order",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("\nbsn|month|amount\n999990019|2025-04|21,00\n", "b.csv"),
                         "b.csv:2: no separator found: neither ',' nor ';' nor TAB splits the "
                         "header \"bsn|month|amount\" into the columns "
                         "bsn,month,amount[,household]",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("", "b.csv"),
                         "b.csv:1: empty file (expected the header bsn,month,amount[,household])",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing(std::string(kBom) + "\r\n;;\r\n", "b.csv"),
                         "b.csv:1: empty file (expected the header bsn,month,amount[,household])",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-04,21\n"
                                       "123456789,2025-04,21\n",
                                       "b.csv"),
                         "b.csv:3: bad BSN \"123456789\" (9 digits passing the 11-proof)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-13,21\n", "b.csv"),
                         "b.csv:2: impossible month \"2025-13\"", ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,april,21\n", "b.csv"),
                         "b.csv:2: bad month \"april\" (YYYY-MM)", ConfigError);
    // Amounts: euros with at most two decimals, 0,00..1.000,00.
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n999990019;2025-04;21,005\n", "b.csv"),
                         "b.csv:2: amount \"21,005\": ambiguous: thousands or more than two "
                         "decimals? Write 1234,00 or 1.234,00",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n999990019;2025-04;21,0050\n", "b.csv"),
                         "b.csv:2: amount \"21,0050\": more than two decimals; amounts are in "
                         "euros with at most two decimals",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n999990019;2025-04;abc\n", "b.csv"),
                         "b.csv:2: amount \"abc\": not an amount in euros (write e.g. 21,00 or "
                         "21.00)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n999990019;2025-04;1.234\n", "b.csv"),
                         "b.csv:2: amount \"1.234\": ambiguous: thousands or more than two "
                         "decimals? Write 1234,00 or 1.234,00",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n999990019;2025-04;-21,00\n", "b.csv"),
                         "b.csv:2: negative amount \"-21,00\" (a billed amount is 0,00 or more)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n999990019;2025-04;2100\n", "b.csv"),
                         "b.csv:2: impossible amount \"2100\" (EUR 2.100,00: more than EUR "
                         "1.000,00 in a month; amounts are in euros, e.g. 21,00)",
                         ConfigError);
    CHECK(parse_billing("bsn;month;amount\n999990019;2025-04;1.000,00\n", "b.csv")[0].amount ==
          100000);
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n999990019;2025-04;\"\x80 21,00\"\n",
                                       "b.csv"),
                         "b.csv:2: amount \"\x80 21,00\": not UTF-8 text (a euro sign from a "
                         "Windows-1252 file?); save the file as \"CSV UTF-8\" or leave the euro "
                         "sign out",
                         ConfigError);
    // 21,00 unquoted in a comma-separated file is two fields.
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-04,21,00\n", "b.csv"),
                         "b.csv:2: 4 fields, the header has 3 (in a file separated by ',', write "
                         "an amount as \"21,00\" in quotes or as 21.00)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n999990019;2025-04\n", "b.csv"),
                         "b.csv:2: 2 fields, the header has 3", ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n\"999990019,2025-04,21\n", "b.csv"),
                         "b.csv:2: unterminated quoted field (a \" without its closing \")",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn;month;amount\n\n999990019;2025-04;\"21\",00\n",
                                       "b.csv"),
                         "b.csv:3: text after the closing quote of a field (inside quotes, write "
                         "\"\" for \")",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount,household\n999990019,2025-04,21,H1\n"
                                       "999990019,2025-05,21,H2\n",
                                       "b.csv"),
                         "b.csv:3: BSN ******019 is in household \"H2\" here but in \"H1\" on "
                         "line 2",
                         ConfigError);
    // Every malformed form, in every dialect, names the file and the line.
    for (const Dialect& d : all_dialects()) {
      for (const char* bad : {"21,005", "21.005", "21,0050", "abc", "1.234", "1,234", "21,", "-1",
                              "1000,01", "21,00,00", "2100"}) {
        CAPTURE(describe(d));
        CAPTURE(bad);
        const std::string text =
            write_csv(d, {{"bsn", "month", "amount"},
                          {"999990019", "2025-04", "21,00"},
                          {"999990019", "2025-05", bad}});
        const std::string what = config_error([&] { parse_billing(text, "dir/b.csv"); });
        CHECK(what.rfind("dir/b.csv:4: ", 0) == 0);
      }
    }
  }

  TEST_CASE("reconcile: tariffs CSV in every separator, quoting, line end, BOM and amount form") {
    int variants = 0;
    for (const Dialect& d : all_dialects()) {
      const auto forms = forms_of("65", "00");
      const auto forms_6650 = forms_of("66", "50");
      for (std::size_t f = 0; f < forms.size(); ++f) {
        const std::string text = write_csv(
            d, {{"gemeente", "agb", "product_code", "eenheid", "tarief", "begindatum", "einddatum"},
                {"0363", "12345678", "02A01", "04", forms[f], "2025-01-01", "2025-06-30"},
                {"0363", "12345678", "02A01", "04", forms_6650[f], "2025-07-01", ""}});
        CAPTURE(describe(d));
        CAPTURE(text);
        const auto t = Tariffs::parse(text, "t.csv");
        CHECK(t.size() == 2);
        REQUIRE(t.find("0363", "12345678", "02A01", {2025, 3, 1}) != nullptr);
        CHECK(t.find("0363", "12345678", "02A01", {2025, 3, 1})->tarief == 6500);
        CHECK(t.find("0363", "12345678", "02A01", {2025, 3, 1})->line == 3);
        REQUIRE(t.find("0363", "12345678", "02A01", {2026, 8, 1}) != nullptr);
        CHECK(t.find("0363", "12345678", "02A01", {2026, 8, 1})->tarief == 6650);
        ++variants;
      }
    }
    CHECK(variants == 96);
    // Thousands separators and small tariffs (per minute).
    const auto t = Tariffs::parse("gemeente;agb;product_code;eenheid;tarief;begindatum\n"
                                  "0363;12345678;02A01;04;1.234,56;2025-01-01\n"
                                  "0363;12345678;02A02;01;0,95;2025-01-01\n",
                                  "t.csv");
    CHECK(t.find("0363", "12345678", "02A01", {2025, 3, 1})->tarief == 123456);
    CHECK(t.find("0363", "12345678", "02A02", {2025, 3, 1})->tarief == 95);
  }

  TEST_CASE("reconcile: tariffs CSV and its errors") {
    auto t = Tariffs::parse(
        "gemeente,agb,product_code,eenheid,tarief,begindatum,einddatum\n"
        "0363,12345678,02A01,04,65.00,2025-01-01,2025-06-30\n"
        "0363,12345678,02A01,04,\"66,00\",2025-07-01,\n",
        "t.csv");
    CHECK(t.size() == 2);
    CHECK(t.find("0363", "12345678", "02A01", {2025, 3, 1})->tarief == 6500);
    CHECK(t.find("0363", "12345678", "02A01", {2025, 8, 1})->tarief == 6600);
    CHECK(t.find("0363", "12345678", "02A02", {2025, 8, 1}) == nullptr);
    const std::string head = "gemeente;agb;product_code;eenheid;tarief;begindatum\n";
    CHECK_THROWS_WITH_AS(Tariffs::parse(head + "0363;12345678;02A01;04;65,005;2025-01-01\n",
                                        "t.csv"),
                         "t.csv:2: tarief \"65,005\": ambiguous: thousands or more than two "
                         "decimals? Write 1234,00 or 1.234,00",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse(head + "0363;12345678;02A01;04;65,0050;2025-01-01\n",
                                        "t.csv"),
                         "t.csv:2: tarief \"65,0050\": more than two decimals; amounts are in "
                         "euros with at most two decimals",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse(head + "0363;12345678;02A01;04;1.234;2025-01-01\n",
                                        "t.csv"),
                         "t.csv:2: tarief \"1.234\": ambiguous: thousands or more than two "
                         "decimals? Write 1234,00 or 1.234,00",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse(head + "0363;12345678;02A01;04;abc;2025-01-01\n",
                                        "t.csv"),
                         "t.csv:2: tarief \"abc\": not an amount in euros (write e.g. 21,00 or "
                         "21.00)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse(head + "0363;12345678;02A01;04;-65,00;2025-01-01\n",
                                        "t.csv"),
                         "t.csv:2: negative tarief \"-65,00\" (a tariff is 0,00 or more)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(
        Tariffs::parse(head + "0363;12345678;02A01;04;1.000.000.000,00;2025-01-01\n", "t.csv"),
        "t.csv:2: impossible tarief \"1.000.000.000,00\" (more than EUR 999.999.999,99)",
        ConfigError);
    CHECK_THROWS_WITH_AS(
        Tariffs::parse("gemeente,agb,product_code,eenheid,tarief,begindatum\n"
                       "0363,12345678,02A01,04,65,2025-01-01\n"
                       "0363,12345678,02A01,04,66,2025-06-01\n",
                       "t.csv"),
        "t.csv:3: tariff period overlaps line 2 for 0363 12345678 02A01", ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse("gemeente,agb,code\n", "t.csv"),
                         "t.csv:1: unknown column \"code\" in the header (separated by ','); "
                         "expected gemeente,agb,product_code,eenheid,tarief,begindatum"
                         "[,einddatum] in any order",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse("gemeente agb product_code eenheid tarief begindatum\n",
                                        "t.csv"),
                         "t.csv:1: no separator found: neither ',' nor ';' nor TAB splits the "
                         "header \"gemeente agb product_code eenheid tarief begindatum\" into the "
                         "columns gemeente,agb,product_code,eenheid,tarief,begindatum[,einddatum]",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse(head + "0363;12345678;02A01;04;\"65,00;2025-01-01\n",
                                        "t.csv"),
                         "t.csv:2: unterminated quoted field (a \" without its closing \")",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse(head + "0363,12345678,02A01,04,65,2025-01-01\n", "t.csv"),
                         "t.csv:2: 1 fields, the header has 6", ConfigError);
  }
}

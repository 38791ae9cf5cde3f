// The timeline of one citizen (see timeline.hpp).
#include "core/ingest/timeline.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace istd::ingest {

namespace {

std::string label(const ledger::MessageRecord& m) {
  return fmt::format("{} '{}' of {} from {}", m.type, m.identificatie, m.dagtekening, m.afzender);
}

std::string date_text(delivery::Date d) {
  return d == delivery::kForever ? std::string("open") : d.to_string();
}

std::string product_shown(const std::optional<std::string>& cat, const std::optional<std::string>& code) {
  if (!cat) return "generic (no product)";
  return code ? fmt::format("{}/{}", *cat, *code) : fmt::format("{} (aspecific)", *cat);
}

}  // namespace

Timeline build_timeline(ledger::Ledger& l, std::string_view bsn, model::Standard standard) {
  const model::Standard before = l.standard();
  l.set_standard(standard);
  struct Restore {
    ledger::Ledger& l;
    model::Standard s;
    ~Restore() { l.set_standard(s); }
  } restore{l, before};
  Timeline t;
  t.standard = standard;
  t.bsn = std::string(bsn);
  auto note = [&](ledger::MessageId id) {
    if (!t.messages.count(id)) t.messages[id] = label(l.message(id));
  };
  auto starts = l.starts_of_bsn(bsn, true);
  auto stops = l.stops_of_bsn(bsn, true);
  std::vector<bool> used_start(starts.size()), used_stop(stops.size());
  for (const auto& cur : l.allocations_of_bsn(bsn)) {
    Timeline::Allocation a;
    a.current = cur;
    a.versions = l.allocation_history(cur.gemeente, cur.toewijzing_nummer);
    for (const auto& v : a.versions) note(v.message_id);
    for (std::size_t i = 0; i < starts.size(); ++i) {
      const auto& s = starts[i];
      if (s.gemeente == cur.gemeente && s.toewijzing_nummer == cur.toewijzing_nummer) {
        a.starts.push_back(s);
        used_start[i] = true;
      }
    }
    for (std::size_t i = 0; i < stops.size(); ++i) {
      const auto& s = stops[i];
      if (s.gemeente == cur.gemeente && s.toewijzing_nummer == cur.toewijzing_nummer) {
        a.stops.push_back(s);
        used_stop[i] = true;
      }
    }
    for (const auto& s : a.starts) {
      note(s.inserted_by);
      if (s.deleted_by) note(*s.deleted_by);
    }
    for (const auto& s : a.stops) {
      note(s.inserted_by);
      if (s.deleted_by) note(*s.deleted_by);
    }
    if (auto r = ledger::delivery_intervals(l, cur.gemeente, cur.toewijzing_nummer)) {
      a.intervals = std::move(*r);
      // Evidence: name the proving messages by their identification, not ledger ids.
      for (auto* list : {&a.intervals.intervals, &a.intervals.unclipped})
        for (auto& iv : *list)
          for (auto& e : iv.evidence) {
            auto p = e.rfind("(message ");
            if (p == std::string::npos) continue;
            const auto id = std::stoll(e.substr(p + 9));
            note(id);
            e = e.substr(0, p) + "(" + t.messages[id] + ")";
          }
    }
    t.allocations.push_back(std::move(a));
  }
  t.requests = l.requests_of_bsn(bsn);
  for (std::size_t i = 0; i < starts.size(); ++i)
    if (!used_start[i]) {
      t.other_starts.push_back(starts[i]);
      note(starts[i].inserted_by);
      if (starts[i].deleted_by) note(*starts[i].deleted_by);
    }
  for (std::size_t i = 0; i < stops.size(); ++i)
    if (!used_stop[i]) {
      t.other_stops.push_back(stops[i]);
      note(stops[i].inserted_by);
      if (stops[i].deleted_by) note(*stops[i].deleted_by);
    }
  return t;
}

namespace {

template <typename J, typename T>
void opt_set(J& j, const char* k, const std::optional<T>& v) {
  if (v) j[k] = *v;
  else j[k] = nullptr;
}

nlohmann::ordered_json start_json(const Timeline& t, const ledger::StartRecord& s) {
  nlohmann::ordered_json j;
  j["agb"] = s.agb;
  opt_set(j, "toewijzing_nummer", s.toewijzing_nummer);
  opt_set(j, "categorie", s.categorie);
  opt_set(j, "code", s.code);
  j["begindatum"] = s.begindatum;
  j["live"] = s.live();
  j["sent_by"] = t.messages.at(s.inserted_by);
  if (s.deleted_by) j["deleted_by"] = t.messages.at(*s.deleted_by);
  else j["deleted_by"] = nullptr;
  return j;
}

std::string request_status(const ledger::RequestStatus& r) {
  if (r.toewijzing_nummer) return "honoured";
  if (r.rejected()) return "refused";
  for (const auto& a : r.answers)
    if (a.verzoek_antwoord == "2") return "in onderzoek";
  return "open";
}

std::string request_line(const ledger::RequestStatus& r) {
  std::string s = fmt::format("  {} '{}' of {} from {} to {}, ReferentieAanbieder '{}': {}\n",
                              r.request.type, r.request.identificatie, r.request.dagtekening,
                              r.request.agb, r.request.gemeente, r.request.referentie,
                              r.request.summary);
  for (const auto& a : r.answers)
    s += fmt::format("    answered with 319 '{}' of {}: {}\n", a.identificatie, a.dagtekening,
                     a.verzoek_antwoord == "1"
                         ? fmt::format("afgewezen (RedenAfwijzingVerzoek {})", a.reden.value_or("-"))
                         : std::string("in onderzoek"));
  if (r.toewijzing_nummer)
    s += fmt::format("    honoured by allocation {} (301 '{}' of {})\n", *r.toewijzing_nummer,
                     r.allocation_identificatie, r.allocation_dagtekening);
  else if (r.open())
    s += "    not answered yet (open)\n";
  return s;
}

nlohmann::ordered_json stop_json(const Timeline& t, const ledger::StopRecord& s) {
  nlohmann::ordered_json j;
  j["agb"] = s.agb;
  opt_set(j, "toewijzing_nummer", s.toewijzing_nummer);
  opt_set(j, "categorie", s.categorie);
  opt_set(j, "code", s.code);
  j["begindatum"] = s.begindatum;
  j["reden_beeindiging"] = s.reden_beeindiging;
  j["einddatum"] = s.einddatum;
  j["pause"] = s.pause();
  j["live"] = s.live();
  j["sent_by"] = t.messages.at(s.inserted_by);
  if (s.deleted_by) j["deleted_by"] = t.messages.at(*s.deleted_by);
  else j["deleted_by"] = nullptr;
  return j;
}

}  // namespace

nlohmann::ordered_json to_json(const Timeline& t) {
  nlohmann::ordered_json j;
  j["bsn"] = t.bsn;
  auto& allocs = j["allocations"] = nlohmann::ordered_json::array();
  for (const auto& a : t.allocations) {
    nlohmann::ordered_json x;
    x["gemeente"] = a.current.gemeente;
    x["toewijzing_nummer"] = a.current.toewijzing_nummer;
    x["agb"] = a.current.agb;
    opt_set(x, "categorie", a.current.categorie);
    opt_set(x, "code", a.current.code);
    x["ingangsdatum"] = a.current.ingangsdatum;
    opt_set(x, "einddatum", a.current.einddatum);
    x["deleted"] = a.current.deleted();
    auto& vs = x["versions"] = nlohmann::ordered_json::array();
    for (const auto& v : a.versions) {
      nlohmann::ordered_json y;
      y["toewijzingsdatum"] = v.toewijzingsdatum;
      y["toewijzingstijd"] = v.toewijzingstijd;
      y["ingangsdatum"] = v.ingangsdatum;
      opt_set(y, "einddatum", v.einddatum);
      opt_set(y, "reden_wijziging", v.reden_wijziging);
      opt_set(y, "volume", v.volume);
      opt_set(y, "eenheid", v.eenheid);
      opt_set(y, "frequentie", v.frequentie);
      opt_set(y, "budget", v.budget);
      y["current"] = v.id == a.current.id;
      y["message"] = t.messages.at(v.message_id);
      vs.push_back(std::move(y));
    }
    auto& ss = x["starts"] = nlohmann::ordered_json::array();
    for (const auto& s : a.starts) ss.push_back(start_json(t, s));
    auto& ps = x["stops"] = nlohmann::ordered_json::array();
    for (const auto& s : a.stops) ps.push_back(stop_json(t, s));
    auto& is = x["intervals"] = nlohmann::ordered_json::array();
    for (const auto& iv : a.intervals.intervals) {
      nlohmann::ordered_json y;
      y["state"] = std::string(delivery::to_string(iv.state));
      y["from"] = iv.from.to_string();
      if (iv.to == delivery::kForever) y["to"] = nullptr;
      else y["to"] = iv.to.to_string();
      y["evidence"] = iv.evidence;
      is.push_back(std::move(y));
    }
    x["warnings"] = a.intervals.warnings;
    allocs.push_back(std::move(x));
  }
  auto& rq = j["requests"] = nlohmann::ordered_json::array();
  for (const auto& r : t.requests) {
    nlohmann::ordered_json x;
    x["type"] = r.request.type;
    x["identificatie"] = r.request.identificatie;
    x["dagtekening"] = r.request.dagtekening;
    x["gemeente"] = r.request.gemeente;
    x["agb"] = r.request.agb;
    x["referentie_aanbieder"] = r.request.referentie;
    x["summary"] = r.request.summary;
    x["status"] = request_status(r);
    auto& as = x["answers"] = nlohmann::ordered_json::array();
    for (const auto& a : r.answers) {
      nlohmann::ordered_json y;
      y["identificatie"] = a.identificatie;
      y["dagtekening"] = a.dagtekening;
      y["verzoek_antwoord"] = a.verzoek_antwoord;
      opt_set(y, "reden_afwijzing_verzoek", a.reden);
      as.push_back(std::move(y));
    }
    if (r.toewijzing_nummer) {
      x["honoured_by"] = {{"toewijzing_nummer", *r.toewijzing_nummer},
                          {"identificatie", r.allocation_identificatie},
                          {"dagtekening", r.allocation_dagtekening}};
    } else {
      x["honoured_by"] = nullptr;
    }
    rq.push_back(std::move(x));
  }
  auto& os = j["other_starts"] = nlohmann::ordered_json::array();
  for (const auto& s : t.other_starts) os.push_back(start_json(t, s));
  auto& ot = j["other_stops"] = nlohmann::ordered_json::array();
  for (const auto& s : t.other_stops) ot.push_back(stop_json(t, s));
  return j;
}

namespace {

/// The body of one standard's timeline (everything after the client line).
std::string body_text(const Timeline& t) {
  std::string s;
  if (!t.requests.empty()) {
    s += "\nRequests (315/317) and their answers:\n";
    for (const auto& r : t.requests) s += request_line(r);
  }
  for (const auto& a : t.allocations) {
    const auto& c = a.current;
    s += fmt::format("\nAllocation {} of gemeente {} to provider {}: product {}, {} .. {}{}\n",
                     c.toewijzing_nummer, c.gemeente, c.agb, product_shown(c.categorie, c.code),
                     c.ingangsdatum, c.einddatum.value_or("open"),
                     c.deleted() ? "  [DELETED: counts as never sent]" : "");
    for (const auto& r : t.requests)
      if (r.toewijzing_nummer == c.toewijzing_nummer && r.request.gemeente == c.gemeente)
        s += fmt::format("  Asked for with {} '{}' of {} (ReferentieAanbieder '{}')\n",
                         r.request.type, r.request.identificatie, r.request.dagtekening,
                         r.request.referentie);
    s += "  Allocation versions (301):\n";
    for (const auto& v : a.versions)
      s += fmt::format("    {} {}{}: {} .. {}{}{}  — {}\n", v.toewijzingsdatum,
                       v.toewijzingstijd, v.id == c.id ? " (current)" : "", v.ingangsdatum,
                       v.einddatum.value_or("open"),
                       v.reden_wijziging ? fmt::format(", RedenWijziging {}", *v.reden_wijziging)
                                         : std::string(),
                       v.volume ? fmt::format(", volume {} (eenheid {}, frequentie {})", *v.volume,
                                              v.eenheid.value_or("-"), v.frequentie.value_or("-"))
                                : std::string(),
                       t.messages.at(v.message_id));
    if (a.starts.empty() && a.stops.empty()) s += "  No start or stop received.\n";
    for (const auto& st : a.starts)
      s += fmt::format("  Start (305) Begindatum {}{}  — {}{}\n", st.begindatum,
                       st.live() ? "" : "  [deleted]", t.messages.at(st.inserted_by),
                       st.deleted_by ? "; deleted by " + t.messages.at(*st.deleted_by)
                                     : std::string());
    for (const auto& st : a.stops)
      s += fmt::format("  {} (307) of the start of {}: last day {}, RedenBeeindiging {}{}  — {}{}\n",
                       st.pause() ? "Pause" : "Stop", st.begindatum, st.einddatum,
                       st.reden_beeindiging, st.live() ? "" : "  [deleted]",
                       t.messages.at(st.inserted_by),
                       st.deleted_by ? "; deleted by " + t.messages.at(*st.deleted_by)
                                     : std::string());
    if (!a.intervals.intervals.empty()) {
      s += "  Derived periods:\n";
      for (const auto& iv : a.intervals.intervals) {
        s += fmt::format("    {:<12} {} .. {}", delivery::to_string(iv.state), iv.from.to_string(),
                         date_text(iv.to));
        if (!iv.evidence.empty()) {
          s += "  (";
          for (std::size_t i = 0; i < iv.evidence.size(); ++i)
            s += (i ? "; " : "") + iv.evidence[i];
          s += ")";
        }
        s += '\n';
      }
    }
    for (const auto& w : a.intervals.warnings) s += fmt::format("  Note: {}\n", w);
  }
  if (!t.other_starts.empty() || !t.other_stops.empty()) {
    s += "\nStarts and stops without a known allocation:\n";
    for (const auto& st : t.other_starts)
      s += fmt::format("  Start {} of provider {}, Begindatum {}{}  — {}\n",
                       st.toewijzing_nummer ? std::to_string(*st.toewijzing_nummer) : "(no number)",
                       st.agb, st.begindatum, st.live() ? "" : " [deleted]",
                       t.messages.at(st.inserted_by));
    for (const auto& st : t.other_stops)
      s += fmt::format("  Stop {} of provider {}, Begindatum {}, last day {}, reden {}{}  — {}\n",
                       st.toewijzing_nummer ? std::to_string(*st.toewijzing_nummer) : "(no number)",
                       st.agb, st.begindatum, st.einddatum, st.reden_beeindiging,
                       st.live() ? "" : " [deleted]", t.messages.at(st.inserted_by));
  }
  return s;
}

constexpr const char* kNothing =
    "  The ledger holds no requests, allocations, starts or stops for this BSN.\n";

}  // namespace

std::string to_text(const Timeline& t) {
  const std::string s = fmt::format("Client BSN {}\n", t.bsn);
  return t.empty() ? s + kNothing : s + body_text(t);
}

std::string to_text(const Timeline& wmo, const Timeline& jeugd) {
  if (jeugd.empty()) return to_text(wmo);
  std::string s = fmt::format("Client BSN {}\n", wmo.bsn);
  if (!wmo.empty()) s += "\n== Wmo (iWmo 3.2)\n" + body_text(wmo);
  s += "\n== Jeugdwet (iJw 3.2)\n" + body_text(jeugd);
  return s;
}

nlohmann::ordered_json to_json(const Timeline& wmo, const Timeline& jeugd) {
  auto j = to_json(wmo);
  if (!jeugd.empty()) {
    auto part = to_json(jeugd);
    part.erase("bsn");
    j["jeugdwet"] = std::move(part);
  }
  return j;
}

}  // namespace istd::ingest

// jemalloc's built-in options for the istd binary (compiled in only when istd is linked with
// jemalloc; src/CMakeLists.txt). MALLOC_CONF in the environment still overrides them.
//
// thp:always, metadata_thp:always: jemalloc asks for transparent huge pages (madvise) for its
// memory. On the virtual machines measured here a first touch of a 4 KB page costs 10-20 us
// (a page fault the hypervisor has to handle); an ingest of 20,000 messages took ~21,000 of
// them, ~5,000 with huge pages, for ~30 MB more resident memory and ~4 % less wall time
// (BENCHMARKS.md, "istd ingest", fourth session). On kernels with transparent huge pages
// `never` this changes nothing.
extern "C" {
// NOLINTNEXTLINE: the name and type jemalloc reads at start-up.
extern const char* malloc_conf;
const char* malloc_conf = "thp:always,metadata_thp:always";
}

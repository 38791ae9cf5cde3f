// Replays fuzz inputs through a fuzz target without libFuzzer: every file named on the command
// line (directories: every file below them, in path order) is passed once to
// LLVMFuzzerTestOneInput. The normal test run and the sanitizer run use it to replay the seed
// corpora and every input a campaign found (tests/fuzz/<target>/), so a fixed crash stays fixed.
// `--shard=K/N` first: only the inputs whose place in path order is K modulo N (ctest runs the
// shards side by side).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> files;
  unsigned shard = 0, shards = 1;
  int first = 1;
  if (argc > 1 && std::string_view(argv[1]).starts_with("--shard=")) {
    if (std::sscanf(argv[1] + 8, "%u/%u", &shard, &shards) != 2 || shards == 0 ||
        shard >= shards) {
      std::fprintf(stderr, "replay: %s: expected --shard=K/N with K < N\n", argv[1]);
      return 2;
    }
    first = 2;
  }
  for (int i = first; i < argc; ++i) {
    const std::filesystem::path p = argv[i];
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (std::filesystem::is_regular_file(p)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (shards > 1) {
    std::vector<std::filesystem::path> mine;
    for (std::size_t i = shard; i < files.size(); i += shards) mine.push_back(files[i]);
    files.swap(mine);
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("replay: %zu inputs, no crash\n", files.size());
  return files.empty() ? 1 : 0;
}

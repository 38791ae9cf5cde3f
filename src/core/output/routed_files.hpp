// Routed files: the bytes of a ledger row written under <output dir>/<route>. A reader sees all
// of a file or none of it (an unnamed O_TMPFILE inode linked in under its name when complete,
// or a temporary name renamed into place), and no file is fsynced on its own: the tree is
// synced once (syncfs) before the rows are flagged materialised in the ledger. Files are
// functions of the ledger (route and bytes), so writing one again after a crash is harmless.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace istd::output {

/// Suffix of the temporary file a rename-path write leaves behind when killed (swept by
/// sweep_tmp_files before a run writes again).
inline constexpr const char* kTmpSuffix = ".istd-tmp";

/// A file to write for ledger row `id`: its route (relative to the output dir), its bytes and,
/// for quarantined input, the text of the `.reason` file beside it.
struct RoutedFile {
  std::int64_t id = 0;
  std::string route;
  std::string bytes;
  std::optional<std::string> reason;
};

/// Writes one routed file (`.<name>.istd-tmp` beside it, then rename into place). No fsync.
/// @throws RuntimeError on I/O failure.
void write_routed(const std::filesystem::path& out_dir, const std::string& route,
                  std::string_view bytes);

/// write_routed for bytes that come in pieces: `fill(write)` calls `write` with each piece in
/// order. @throws RuntimeError on I/O failure (and whatever `fill` throws).
void write_routed_pieces(
    const std::filesystem::path& out_dir, const std::string& route,
    const std::function<void(const std::function<void(std::string_view)>& write)>& fill);

/// syncfs() of the file system holding `dir` (one call makes every write before it durable).
void sync_tree(const std::filesystem::path& dir);

/// Sets the ext2/3/4 top-of-hierarchy hint (FS_TOPDIR_FL, `chattr +T`) on `dir`; applied to an
/// output directory istd creates. Errors ignored.
void mark_top_dir(const std::filesystem::path& dir);

/// Removes the temporary files a run killed while writing through the rename path left under
/// `dir` (a rerun may create the target through O_TMPFILE instead and never rename them).
void sweep_tmp_files(const std::filesystem::path& dir);

/// Writes routed files relative to cached directory descriptors: one openat(O_TMPFILE), write,
/// linkat and close per new file, no path walk from the root and no stat/mkdir per file (the
/// directories are created once, when first needed). Files that cannot be made that way
/// (target exists — a rerun after a crash —, no O_TMPFILE) go through write_routed (tmp +
/// rename). Used by one thread at a time.
class TreeWriter {
 public:
  explicit TreeWriter(std::filesystem::path out_dir) : out_dir_(std::move(out_dir)) {}
  ~TreeWriter();
  TreeWriter(const TreeWriter&) = delete;
  TreeWriter& operator=(const TreeWriter&) = delete;

  /// @throws RuntimeError on I/O failure.
  void write(const std::string& route, std::string_view bytes);
  /// The file and, when it has one, its `.reason`.
  void write(const RoutedFile& f) {
    write(f.route, f.bytes);
    if (f.reason) write(f.route + ".reason", *f.reason);
  }

 private:
  int dir_fd(const std::string& dir);
  bool link_new(int dfd, const char* name, std::string_view bytes);

  std::filesystem::path out_dir_;
  std::unordered_map<std::string, int> dirs_;
  bool tmpfile_ok_ = true;
  bool empty_path_ok_ = true;
};

}  // namespace istd::output

// An MSBuild task (compiled by RoslynCodeTaskFactory, see GlibcxxWeakVersion.targets) and the ELF
// edit it makes. TorchSharp 0.107.0's libLibTorchSharp.so needs GLIBCXX_3.4.32 for one marker
// symbol (std::ios_base_library_init) that is never called; Debian 12's libstdc++ stops at 3.4.30,
// so the loader refuses the library. Marking that version requirement VER_FLG_WEAK in
// .gnu.version_r turns the refusal into nothing (glibc's dl-version.c skips a weak requirement it
// cannot meet), and lazy binding never resolves the marker.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace PotNet.Build
{
    /// <summary>Marks a version requirement weak in the given ELF files, unless the system library already defines it.</summary>
    public sealed class WeakenVersionNeed : Microsoft.Build.Utilities.Task
    {
        /// <summary>The ELF shared libraries to edit in place.</summary>
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The version requirement to weaken, such as GLIBCXX_3.4.32.</summary>
        [Required]
        public string Version { get; set; } = "";

        /// <summary>The system library that would define the version (libstdc++.so.6); the task does nothing when it does.</summary>
        public string SystemLibrary { get; set; } = "";

        /// <inheritdoc/>
        public override bool Execute()
        {
            if (ElfVersionNeeds.SystemDefines(SystemLibrary, Version))
            {
                Log.LogMessage(MessageImportance.Low, $"{SystemLibrary} defines {Version}: nothing to weaken");
                return true;
            }

            foreach (ITaskItem item in Files)
            {
                string path = item.ItemSpec;
                try
                {
                    DateTime written = File.GetLastWriteTimeUtc(path);
                    ElfVersionNeeds.Result result = ElfVersionNeeds.MarkWeak(path, Version);
                    // Keeping the copy's time lets the next incremental build see it as up to date
                    // instead of copying the unedited library over it again.
                    if (result == ElfVersionNeeds.Result.Changed) File.SetLastWriteTimeUtc(path, written);
                    Log.LogMessage(MessageImportance.Normal, $"{path}: {Version} {result}");
                }
                catch (InvalidDataException ex)
                {
                    Log.LogError($"{path}: {ex.Message}");
                }
            }

            return !Log.HasLoggedErrors;
        }
    }

    /// <summary>Reads and edits the version requirements (.gnu.version_r) of a 64-bit little-endian ELF file.</summary>
    public static class ElfVersionNeeds
    {
        /// <summary>The vna_flags bit that makes a missing version a non-fatal condition for the loader.</summary>
        public const ushort WeakFlag = 0x2;

        private const uint VersionNeedSection = 0x6ffffffe;

        /// <summary>What <see cref="MarkWeak"/> did.</summary>
        public enum Result
        {
            /// <summary>The requirement was strong and is now weak.</summary>
            Changed,

            /// <summary>The requirement was weak already.</summary>
            AlreadyWeak,

            /// <summary>The file does not require the version.</summary>
            NotRequired,
        }

        /// <summary>True when <paramref name="library"/> exists and names <paramref name="version"/> (as `strings | grep` would find it).</summary>
        public static bool SystemDefines(string library, string version)
        {
            if (string.IsNullOrEmpty(library) || !File.Exists(library)) return false;
            return IndexOf(File.ReadAllBytes(library), Encoding.ASCII.GetBytes(version + "\0")) >= 0;
        }

        /// <summary>The flags of every requirement on <paramref name="version"/>, in file order.</summary>
        public static ushort[] Flags(string path, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            var flags = new System.Collections.Generic.List<ushort>();
            foreach (int offset in FlagOffsets(elf, version)) flags.Add(U16(elf, offset));
            return flags.ToArray();
        }

        /// <summary>Sets <see cref="WeakFlag"/> on every requirement on <paramref name="version"/> in the file at <paramref name="path"/>.</summary>
        /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file with well-formed sections.</exception>
        public static Result MarkWeak(string path, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            int[] offsets = FlagOffsets(elf, version);
            if (offsets.Length == 0) return Result.NotRequired;
            bool changed = false;
            foreach (int offset in offsets)
            {
                ushort flags = U16(elf, offset);
                if ((flags & WeakFlag) != 0) continue;
                elf[offset] = (byte)(flags | WeakFlag);
                changed = true;
            }

            if (!changed) return Result.AlreadyWeak;
            string temporary = path + ".weak.tmp";
            File.WriteAllBytes(temporary, elf);
            File.Delete(path);
            File.Move(temporary, path);
            return Result.Changed;
        }

        /// <summary>The file offsets of vna_flags of each Vernaux entry naming <paramref name="version"/>.</summary>
        private static int[] FlagOffsets(byte[] elf, string version)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                throw new InvalidDataException("not an ELF file");
            }

            if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("not a 64-bit little-endian ELF file");
            long sectionTable = (long)U64(elf, 0x28);
            int entrySize = U16(elf, 0x3a), count = U16(elf, 0x3c);
            if (entrySize < 64 || sectionTable + (long)entrySize * count > elf.Length) throw new InvalidDataException("section header table out of bounds");

            var found = new System.Collections.Generic.List<int>();
            for (int s = 0; s < count; s++)
            {
                int header = checked((int)(sectionTable + (long)s * entrySize));
                if (U32(elf, header + 4) != VersionNeedSection) continue;
                int linked = (int)U32(elf, header + 40);
                if (linked >= count) throw new InvalidDataException(".gnu.version_r links to a missing string table");
                int strings = Bounded(elf, U64(elf, checked((int)(sectionTable + (long)linked * entrySize)) + 24));
                int need = Bounded(elf, U64(elf, header + 24));
                // Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                for (int guard = 0; guard < 4096; guard++)
                {
                    int auxCount = U16(elf, need + 2);
                    int aux = Bounded(elf, (ulong)need + U32(elf, need + 8));
                    // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    for (int a = 0; a < auxCount; a++)
                    {
                        if (CString(elf, Bounded(elf, (ulong)strings + U32(elf, aux + 8))) == version) found.Add(aux + 4);
                        uint nextAux = U32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux = Bounded(elf, (ulong)aux + nextAux);
                    }

                    uint next = U32(elf, need + 12);
                    if (next == 0) break;
                    need = Bounded(elf, (ulong)need + next);
                }
            }

            return found.ToArray();
        }

        // Written out rather than with spans: RoslynCodeTaskFactory compiles against .NET Standard 2.0.
        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }

            return -1;
        }

        private static int Bounded(byte[] elf, ulong offset) =>
            offset + 16 <= (ulong)elf.Length ? (int)offset : throw new InvalidDataException($"offset {offset} is outside the file");

        private static string CString(byte[] elf, int offset)
        {
            int end = Array.IndexOf(elf, (byte)0, offset);
            if (end < 0) throw new InvalidDataException("unterminated string");
            return Encoding.ASCII.GetString(elf, offset, end - offset);
        }

        private static ushort U16(byte[] elf, int offset) => BitConverter.ToUInt16(elf, offset);

        private static uint U32(byte[] elf, int offset) => BitConverter.ToUInt32(elf, offset);

        private static ulong U64(byte[] elf, int offset) => BitConverter.ToUInt64(elf, offset);
    }
}

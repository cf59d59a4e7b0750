using System.Text;
using PotNet.Build;

namespace PotNet.Training.Tests;

/// <summary>The build step that marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak.</summary>
public sealed class ElfVersionNeedsTests : IDisposable
{
    private const string Needed = "GLIBCXX_3.4.32";
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-elf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Marking_weak_sets_one_flag_and_changes_nothing_else()
    {
        string path = Write("lib.so", SyntheticElf());
        byte[] before = File.ReadAllBytes(path);
        Assert.Equal([(ushort)0], ElfVersionNeeds.Flags(path, Needed));

        Assert.Equal(ElfVersionNeeds.Result.Changed, ElfVersionNeeds.MarkWeak(path, Needed));

        byte[] after = File.ReadAllBytes(path);
        Assert.Equal([ElfVersionNeeds.WeakFlag], ElfVersionNeeds.Flags(path, Needed));
        Assert.Equal([(ushort)0], ElfVersionNeeds.Flags(path, "GLIBCXX_3.4.30"));
        Assert.Equal([(ushort)0], ElfVersionNeeds.Flags(path, "GLIBC_2.34"));
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
    }

    [Fact]
    public void Marking_again_or_a_version_not_required_is_a_no_op()
    {
        string path = Write("lib.so", SyntheticElf());
        ElfVersionNeeds.MarkWeak(path, Needed);
        byte[] once = File.ReadAllBytes(path);

        Assert.Equal(ElfVersionNeeds.Result.AlreadyWeak, ElfVersionNeeds.MarkWeak(path, Needed));
        Assert.Equal(ElfVersionNeeds.Result.NotRequired, ElfVersionNeeds.MarkWeak(path, "GLIBCXX_3.4.99"));
        Assert.Equal(once, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_file_that_is_not_a_64_bit_elf_or_is_truncated_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(Write("text.so", Encoding.ASCII.GetBytes("not an ELF file at all, just text, long enough to have a header ......")), Needed));
        byte[] elf = SyntheticElf();
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(Write("short.so", elf[..200]), Needed));
    }

    [Fact]
    public void The_system_library_defines_the_version_only_if_it_names_it()
    {
        Assert.True(ElfVersionNeeds.SystemDefines(Write("has.so", Encoding.ASCII.GetBytes("xx\0GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0yy")), Needed));
        Assert.False(ElfVersionNeeds.SystemDefines(Write("lacks.so", Encoding.ASCII.GetBytes("xx\0GLIBCXX_3.4.30\0GLIBCXX_3.4.321\0")), Needed));
        Assert.False(ElfVersionNeeds.SystemDefines(Path.Combine(_dir, "missing.so"), Needed));
    }

    [Fact]
    public void The_copied_torchsharp_library_is_weak_exactly_when_the_system_lacks_the_version()
    {
        string copied = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        bool systemHas = ElfVersionNeeds.SystemDefines("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", Needed);
        ushort flags = ElfVersionNeeds.Flags(copied, Needed).Single();
        Assert.Equal(!systemHas, (flags & ElfVersionNeeds.WeakFlag) != 0);
        // And the library loads: TorchSharp works in this process.
        Assert.Equal(6.0, TorchSharp.torch.arange(4).sum().item<long>());
    }

    [Fact]
    public void The_packaged_library_changes_in_one_byte()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string original = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(original), $"{original}: restore puts TorchSharp there");
        string copy = Path.Combine(_dir, "libLibTorchSharp.so");
        File.Copy(original, copy);
        Assert.Equal([(ushort)0], ElfVersionNeeds.Flags(copy, Needed));

        Assert.Equal(ElfVersionNeeds.Result.Changed, ElfVersionNeeds.MarkWeak(copy, Needed));

        byte[] before = File.ReadAllBytes(original), after = File.ReadAllBytes(copy);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// A minimal ELF64 file: a header, a string table and a .gnu.version_r section needing
    /// libstdc++.so.6 (GLIBCXX_3.4.32, GLIBCXX_3.4.30) and libc.so.6 (GLIBC_2.34).
    /// </summary>
    private static byte[] SyntheticElf()
    {
        byte[] strings = Encoding.ASCII.GetBytes("\0libstdc++.so.6\0GLIBCXX_3.4.32\0GLIBCXX_3.4.30\0libc.so.6\0GLIBC_2.34\0");
        int Name(string s) => Encoding.ASCII.GetString(strings).IndexOf("\0" + s + "\0", StringComparison.Ordinal) + 1;

        var needs = new MemoryStream();
        var w = new BinaryWriter(needs);
        void Need(int count, string file, int next)
        {
            w.Write((ushort)1);
            w.Write((ushort)count);
            w.Write(Name(file));
            w.Write(16);
            w.Write(next);
        }

        void Aux(string version, ushort other, int next)
        {
            w.Write(0x12345678);
            w.Write((ushort)0);
            w.Write(other);
            w.Write(Name(version));
            w.Write(next);
        }

        Need(2, "libstdc++.so.6", 48);
        Aux(Needed, 2, 16);
        Aux("GLIBCXX_3.4.30", 3, 0);
        Need(1, "libc.so.6", 0);
        Aux("GLIBC_2.34", 4, 0);
        w.Flush();
        byte[] versionR = needs.ToArray();

        int stringsAt = 64, needsAt = stringsAt + strings.Length, sectionsAt = (needsAt + versionR.Length + 7) / 8 * 8;
        var file = new MemoryStream();
        var f = new BinaryWriter(file);
        f.Write([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);
        f.Write(new byte[8]);
        f.Write((ushort)3);
        f.Write((ushort)62);
        f.Write(1);
        f.Write(0L);
        f.Write(0L);
        f.Write((long)sectionsAt);
        f.Write(0);
        f.Write((ushort)64);
        f.Write((ushort)0);
        f.Write((ushort)0);
        f.Write((ushort)64);
        f.Write((ushort)3);
        f.Write((ushort)0);
        f.Write(strings);
        f.Write(versionR);
        f.Write(new byte[sectionsAt - (needsAt + versionR.Length)]);
        void Section(uint type, long offset, long size, uint link)
        {
            f.Write(0);
            f.Write(type);
            f.Write(0L);
            f.Write(0L);
            f.Write(offset);
            f.Write(size);
            f.Write(link);
            f.Write(0);
            f.Write(8L);
            f.Write(0L);
        }

        Section(0, 0, 0, 0);
        Section(3, stringsAt, strings.Length, 0);
        Section(0x6ffffffe, needsAt, versionR.Length, 1);
        f.Flush();
        return file.ToArray();
    }
}

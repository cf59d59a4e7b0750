using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using PotNet.Cli.Pipeline;

namespace PotNet.Cli.Tests.Pipeline;

/// <summary>The code version in cache keys: blind to what differs between two builds of one source, not to the code.</summary>
public sealed class CodeVersionTests
{
    private static readonly byte[] Assembly = File.ReadAllBytes(typeof(PotNet.Model.QuantizedModel).Assembly.Location);

    [Fact]
    public void Another_build_of_the_same_code_has_the_same_version()
    {
        byte[] other = (byte[])Assembly.Clone();
        using (var pe = new PEReader(new MemoryStream(Assembly)))
        {
            PEHeaders headers = pe.PEHeaders;
            other[headers.CoffHeaderStartOffset + 4] ^= 0xff;
            MetadataReader metadata = pe.GetMetadataReader();
            other[headers.MetadataStartOffset + metadata.GetHeapMetadataOffset(HeapIndex.Guid)] ^= 0xff;
            DebugDirectoryEntry codeView = pe.ReadDebugDirectory().First(e => e.Type == DebugDirectoryEntryType.CodeView);
            other[codeView.DataPointer + 5] ^= 0xff;
        }

        Assert.Equal(CodeVersion.Digest(Assembly), CodeVersion.Digest(other));
    }

    [Fact]
    public void Changed_code_has_another_version()
    {
        byte[] other = (byte[])Assembly.Clone();
        using (var pe = new PEReader(new MemoryStream(Assembly)))
        {
            MetadataReader metadata = pe.GetMetadataReader();
            MethodDefinition method = metadata.MethodDefinitions.Select(metadata.GetMethodDefinition).First(m => m.RelativeVirtualAddress != 0);
            pe.PEHeaders.TryGetDirectoryOffset(new DirectoryEntry(method.RelativeVirtualAddress, 1), out int body);
            other[body + 1] ^= 0x01;
        }

        Assert.NotEqual(CodeVersion.Digest(Assembly), CodeVersion.Digest(other));
    }
}

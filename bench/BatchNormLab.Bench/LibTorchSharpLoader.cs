using System.Buffers.Binary;
using System.Text;

namespace BatchNormLab.Bench;

/// <summary>
/// Makes TorchSharp 0.107.0 load on systems whose libstdc++ predates GLIBCXX_3.4.32 (Debian 12 has 3.4.30).
/// </summary>
/// <remarks>
/// libLibTorchSharp.so needs that version for one symbol only: <c>std::ios_base_library_init()</c>, a marker
/// that GCC 13's &lt;iostream&gt; references so the link records the dependency; no relocation uses it, so it
/// is never resolved or called. The dynamic loader still refuses the library because the version is listed
/// as required. This patch, applied to the bench's own copy of the library, marks that one version need as
/// weak (VER_FLG_WEAK: the loader then skips it when absent) and un-versions the marker symbol. It refuses
/// to patch if any other symbol uses the version, and does nothing where the version is already weak.
/// </remarks>
internal static class LibTorchSharpLoader
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string Marker = "_ZSt21ios_base_library_initv";
    private const uint ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlgWeak = 0x2;

    private static readonly Lazy<string> s_status = new(EnsureLoadable);

    /// <summary>What <see cref="EnsureLoadable"/> did; touching it before any torch call applies the patch.</summary>
    public static string Status => s_status.Value;

    /// <summary>Patches libLibTorchSharp.so next to the program if needed; returns what it did.</summary>
    private static string EnsureLoadable()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        if (!File.Exists(path)) return "libLibTorchSharp.so not found next to the program";
        var elf = File.ReadAllBytes(path);
        var result = Patch(elf);
        if (result.Changed) File.WriteAllBytes(path, elf);
        return result.Message;
    }

    internal static (bool Changed, string Message) Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("libLibTorchSharp.so is not a little-endian 64-bit ELF file.");
        var shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        (long Offset, long Size, int Link) Section(int i)
        {
            var h = shoff + (long)i * shentsize;
            return ((long)U64(elf, h + 0x18), (long)U64(elf, h + 0x20), (int)U32(elf, h + 0x28));
        }
        int Find(uint type)
        {
            for (var i = 0; i < shnum; i++)
                if (U32(elf, shoff + (long)i * shentsize + 4) == type) return i;
            throw new InvalidDataException($"libLibTorchSharp.so has no section of type 0x{type:x}.");
        }

        var verneed = Section(Find(ShtGnuVerneed));
        var strtab = Section(verneed.Link).Offset;
        long auxAt = -1;
        ushort index = 0;
        for (long vn = verneed.Offset; ;)
        {
            var cnt = U16(elf, vn + 2);
            var aux = vn + U32(elf, vn + 8);
            for (var j = 0; j < cnt; j++)
            {
                if (Str(elf, strtab + U32(elf, aux + 8)) == Version)
                {
                    auxAt = aux;
                    index = U16(elf, aux + 6);
                }
                aux += U32(elf, aux + 12);
            }
            var next = U32(elf, vn + 12);
            if (next == 0) break;
            vn += next;
        }
        if (auxAt < 0) return (false, $"no {Version} requirement: nothing to patch");
        if ((U16(elf, auxAt + 4) & VerFlgWeak) != 0) return (false, $"{Version} already weak: nothing to patch");

        var dynsym = Section(Find(ShtDynsym));
        var dynstr = Section(dynsym.Link).Offset;
        var versym = Section(Find(ShtGnuVersym)).Offset;
        var users = new List<long>();
        for (long s = 0; s < dynsym.Size / 24; s++)
        {
            if ((U16(elf, versym + 2 * s) & 0x7fff) != index) continue;
            var name = Str(elf, dynstr + U32(elf, dynsym.Offset + 24 * s));
            var undefined = U16(elf, dynsym.Offset + 24 * s + 6) == 0;
            if (name != Marker || !undefined)
                throw new InvalidDataException($"{Version} is needed by '{name}', not only by the marker {Marker}: refusing to patch.");
            users.Add(versym + 2 * s);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan((int)auxAt + 4), (ushort)(U16(elf, auxAt + 4) | VerFlgWeak));
        foreach (var at in users) BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan((int)at), 1); // VER_NDX_GLOBAL
        return (true, $"marked {Version} weak (only the marker {Marker} used it)");
    }

    private static ushort U16(byte[] b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)at));
    private static uint U32(byte[] b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)at));
    private static ulong U64(byte[] b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)at));

    private static string Str(byte[] b, long at)
    {
        var end = Array.IndexOf(b, (byte)0, (int)at);
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}

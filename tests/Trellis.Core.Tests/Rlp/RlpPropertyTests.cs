using FsCheck;
using FsCheck.Fluent;
using Trellis.Core.Rlp;

namespace Trellis.Core.Tests.Rlp;

public class RlpPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    // Byte strings cluster around the encoding boundaries: single byte vs 0x80, and 55/56 payload bytes.
    private static readonly Gen<byte[]> Strings = Gen.Frequency(
        (3, Gen.Choose(0, 255).Select(b => new[] { (byte)b })),
        (2, Gen.Elements(0, 2, 54, 55, 56, 57, 255, 256, 1025)
            .SelectMany(n => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(n))),
        (3, Gen.Choose(0, 80).SelectMany(n => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(n))));

    private static readonly Gen<RlpItem> Trees = Gen.Sized(Tree);

    [Fact]
    public void EncodeThenDecode_RoundTripsRandomNestedTrees()
    {
        Prop.ForAll(Arb.From(Trees), tree =>
        {
            byte[] encoded = tree.Encode();
            return RlpItem.Decode(encoded).Equals(tree) && encoded.Length == EncodedLength(tree);
        }).Check(Config);
    }

    [Fact]
    public void DecodeOfRandomBytes_EitherThrowsRlpExceptionOrReEncodesToTheSameBytes()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()), DecodeIsStrict).Check(Config);
    }

    [Fact]
    public void DecodeOfMutatedEncodings_EitherThrowsRlpExceptionOrReEncodesToTheSameBytes()
    {
        // Random bytes rarely parse; small edits of valid encodings reach the deeper checks.
        Gen<byte[]> mutated =
            from tree in Trees
            let encoded = tree.Encode()
            from position in Gen.Choose(0, encoded.Length)
            from value in Gen.Choose(0, 255)
            from edit in Gen.Choose(0, 3)
            select Mutate(encoded, position, (byte)value, edit);
        Prop.ForAll(Arb.From(mutated), DecodeIsStrict).Check(Config);
    }

    [Fact]
    public void ULong_RoundTripsThroughWriterAndReader()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, 64).SelectMany(shift =>
            Gen.Choose(int.MinValue, int.MaxValue).Two().Select(p => ((ulong)(uint)p.Item1 << 32 | (uint)p.Item2) >> shift))),
            value =>
            {
                var writer = new RlpWriter();
                writer.WriteULong(value);
                var reader = new RlpReader(writer.WrittenSpan);
                return reader.ReadULong() == value && !reader.HasMore;
            }).Check(Config);
    }

    private static bool DecodeIsStrict(byte[] input)
    {
        RlpItem item;
        try
        {
            item = RlpItem.Decode(input);
        }
        catch (RlpException)
        {
            return true;
        }

        return item.Encode().AsSpan().SequenceEqual(input);
    }

    private static byte[] Mutate(byte[] encoded, int position, byte value, int edit)
    {
        var bytes = new List<byte>(encoded);
        switch (edit)
        {
            case 0 when position < bytes.Count:
                bytes[position] = value;
                break;
            case 1:
                bytes.Insert(position, value);
                break;
            case 2 when position < bytes.Count:
                bytes.RemoveAt(position);
                break;
            default:
                bytes.Add(value);
                break;
        }

        return [.. bytes];
    }

    private static Gen<RlpItem> Tree(int size)
    {
        Gen<RlpItem> leaf = Strings.Select(bytes => (RlpItem)new RlpString(bytes));
        if (size <= 1)
        {
            return leaf;
        }

        Gen<RlpItem> list = Gen.Choose(0, 6)
            .SelectMany(count => Gen.Sized(Tree).Resize(size / 2).ArrayOf(count))
            .Select(items => (RlpItem)new RlpList(items));
        return Gen.Frequency((2, leaf), (1, list));
    }

    // The encoded length from the yellow paper's definition, computed independently of RlpWriter.
    private static int EncodedLength(RlpItem item)
    {
        if (item is RlpString s)
        {
            return s.Value.Length == 1 && s.Value[0] < 0x80 ? 1 : HeaderLength(s.Value.Length) + s.Value.Length;
        }

        int payload = 0;
        foreach (RlpItem child in ((RlpList)item).Items)
        {
            payload += EncodedLength(child);
        }

        return HeaderLength(payload) + payload;
    }

    private static int HeaderLength(int payload)
    {
        int header = 1;
        if (payload >= 56)
        {
            for (int rest = payload; rest > 0; rest >>= 8)
            {
                header++;
            }
        }

        return header;
    }
}

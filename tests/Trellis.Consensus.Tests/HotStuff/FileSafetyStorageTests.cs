using System.Security.Cryptography;
using Trellis.Consensus.HotStuff;

namespace Trellis.Consensus.Tests.HotStuff;

public sealed class FileSafetyStorageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("trellis-safety-").FullName;
    private readonly HotStuffFixture _f = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private SafetyData Sample()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(b1, 2);
        return new SafetyData(7, _f.Certify(b1), _f.Certify(b2, 3, 1, 2, 0));
    }

    [Fact]
    public void Load_ReturnsNullWhenNothingWasSaved() =>
        Assert.Null(new FileSafetyStorage(Path.Combine(_directory, "safety.bin"), _f.Suite).Load());

    [Fact]
    public void Save_ThenLoadInANewInstance_GivesBackTheSameData()
    {
        string path = Path.Combine(_directory, "safety.bin");
        var data = Sample();
        new FileSafetyStorage(path, _f.Suite).Save(data);
        new FileSafetyStorage(path, _f.Suite).Save(data with { LastVotedView = 8 });
        var loaded = new FileSafetyStorage(path, _f.Suite).Load();
        Assert.NotNull(loaded);
        Assert.Equal(8, loaded.LastVotedView);
        AssertSameQc(data.LockedQc, loaded.LockedQc);
        AssertSameQc(data.HighQc, loaded.HighQc);
        Assert.True(_f.Rules.ValidateQc(loaded.HighQc).Passed);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Load_DetectsAFlippedBit()
    {
        string path = Path.Combine(_directory, "safety.bin");
        new FileSafetyStorage(path, _f.Suite).Save(Sample());
        var bytes = File.ReadAllBytes(path);
        bytes[12] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => new FileSafetyStorage(path, _f.Suite).Load());
        Assert.Contains("checksum", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(44)]
    [InlineData(100)]
    public void Load_RejectsATruncatedFile(int keep)
    {
        string path = Path.Combine(_directory, "safety.bin");
        new FileSafetyStorage(path, _f.Suite).Save(Sample());
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..keep]);
        Assert.Throws<InvalidDataException>(() => new FileSafetyStorage(path, _f.Suite).Load());
    }

    [Fact]
    public void Decode_RejectsHostileCountsAndLengthsEvenWithAValidChecksum()
    {
        // magic, version, last voted view, then a QC header claiming 2^31 − 1 signatures.
        var body = new List<byte>("TRSF"u8.ToArray()) { 1 };
        body.AddRange(new byte[8]);
        body.AddRange(new byte[8 + 32]);
        body.AddRange([0x7f, 0xff, 0xff, 0xff]);
        var error = Assert.Throws<InvalidDataException>(() => FileSafetyStorage.Decode(WithChecksum(body), "hostile"));
        Assert.Contains("2147483647 signatures", error.Message);

        var longSignature = new List<byte>("TRSF"u8.ToArray()) { 1 };
        longSignature.AddRange(new byte[8]);
        longSignature.AddRange(new byte[8 + 32]);
        longSignature.AddRange([0, 0, 0, 1, 0, 0, 0, 0, 0x00, 0x10, 0x00, 0x00]);
        error = Assert.Throws<InvalidDataException>(() => FileSafetyStorage.Decode(WithChecksum(longSignature), "hostile"));
        Assert.Contains("1048576 bytes", error.Message);
    }

    [Fact]
    public void Decode_RejectsWrongMagicAndVersion()
    {
        var encoded = FileSafetyStorage.Encode(Sample());
        var wrongVersion = encoded[..^32];
        wrongVersion[4] = 2;
        Assert.Contains("format version 2", Assert.Throws<InvalidDataException>(() => FileSafetyStorage.Decode(WithChecksum([.. wrongVersion]), "x")).Message);
        var wrongMagic = encoded[..^32];
        wrongMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => FileSafetyStorage.Decode(WithChecksum([.. wrongMagic]), "x")).Message);
    }

    [Fact]
    public void SaveBlock_ThenLoadBlocksInANewInstance_GivesBackTheSameBlocks()
    {
        string path = Path.Combine(_directory, "safety.bin");
        var b1 = _f.Child(_f.Genesis, 1, payloadTag: 3);
        var b2 = _f.Child(b1, 4, payloadTag: 5);
        var storage = new FileSafetyStorage(path, _f.Suite);
        Assert.Empty(storage.LoadBlocks());
        storage.SaveBlock(b1);
        storage.SaveBlock(b2);
        var loaded = new FileSafetyStorage(path, _f.Suite).LoadBlocks();
        Assert.Equal([b1.Hash, b2.Hash], loaded.Select(b => b.Hash));
        Assert.Equal(b2.Payload.ToArray(), loaded[1].Payload.ToArray());
        Assert.True(_f.Rules.ValidateQc(loaded[1].Justify).Passed);
    }

    [Fact]
    public void SaveBlock_OfLargeAndSmallBlocksInTurn_GivesBackEachBlockExactly()
    {
        // Records of large blocks are encoded into pooled buffers longer than the record: only the record is written.
        string path = Path.Combine(_directory, "safety.bin");
        var storage = new FileSafetyStorage(path, _f.Suite);
        var random = new Random(5);
        var parent = _f.Genesis;
        var saved = new List<HotStuffBlock>();
        foreach (int length in new[] { 200_000, 3, 120_000, 0 })
        {
            var payload = new byte[length];
            random.NextBytes(payload);
            var block = HotStuffBlock.Create(_f.Suite, parent, parent.View + 1, payload, _f.StateRootOf(parent, payload), _f.Certify(parent));
            storage.SaveBlock(block);
            saved.Add(block);
            parent = block;
        }

        long expectedLength = 0;
        foreach (var block in saved)
        {
            int qc = 8 + 32 + 4 + block.Justify.Signatures.Sum(s => 8 + s.Signature.Length);
            expectedLength += 4 + 32 + 8 + 8 + 32 + qc + 4 + block.Payload.Length + 32;
        }

        Assert.Equal(expectedLength, new FileInfo(path + ".blocks").Length);
        var loaded = new FileSafetyStorage(path, _f.Suite).LoadBlocks();
        Assert.Equal(saved.Select(b => b.Hash), loaded.Select(b => b.Hash));
        for (int i = 0; i < saved.Count; i++)
        {
            Assert.Equal(saved[i].Payload.ToArray(), loaded[i].Payload.ToArray());
        }
    }

    [Fact]
    public void LoadBlocks_IgnoresATornLastRecordButRejectsADamagedOne()
    {
        string path = Path.Combine(_directory, "safety.bin");
        var b1 = _f.Child(_f.Genesis, 1);
        var storage = new FileSafetyStorage(path, _f.Suite);
        storage.SaveBlock(b1);
        storage.SaveBlock(_f.Child(b1, 2));
        var bytes = File.ReadAllBytes(path + ".blocks");
        File.WriteAllBytes(path + ".blocks", bytes[..^10]);
        Assert.Equal([b1.Hash], storage.LoadBlocks().Select(b => b.Hash));
        bytes[20] ^= 0x40;
        File.WriteAllBytes(path + ".blocks", bytes);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => storage.LoadBlocks()).Message);
        bytes[20] ^= 0x40;
        bytes[0] = 0x7f;
        File.WriteAllBytes(path + ".blocks", bytes);
        Assert.Contains("claims", Assert.Throws<InvalidDataException>(() => storage.LoadBlocks()).Message);
    }

    [Fact]
    public void InMemoryStorage_KeepsTheLastSave()
    {
        var storage = new InMemorySafetyStorage();
        Assert.Null(storage.Load());
        storage.Save(Sample());
        Assert.Equal(7, storage.Load()!.LastVotedView);
        Assert.Equal(1, storage.SaveCount);
    }

    private static byte[] WithChecksum(List<byte> body) => [.. body, .. SHA256.HashData([.. body])];

    private static void AssertSameQc(QuorumCertificate expected, QuorumCertificate actual)
    {
        Assert.Equal(expected.View, actual.View);
        Assert.Equal(expected.BlockHash, actual.BlockHash);
        Assert.Equal(expected.Signatures.Select(s => (s.Validator, Convert.ToHexString(s.Signature))), actual.Signatures.Select(s => (s.Validator, Convert.ToHexString(s.Signature))));
    }

    [Fact]
    public void CompactBlocks_KeepsOnlyBlocksAboveTheCommittedHeight()
    {
        string path = Path.Combine(_directory, "compact.bin");
        var storage = new FileSafetyStorage(path, _f.Suite);
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(b1, 2);
        var b3 = _f.Child(b2, 3);
        foreach (var block in new[] { b1, b2, b3 })
        {
            storage.SaveBlock(block);
        }

        long before = storage.BlockLogLength;
        Assert.Equal(1, storage.CompactBlocks(committedHeight: 2));
        Assert.True(storage.BlockLogLength < before);
        var loaded = new FileSafetyStorage(path, _f.Suite).LoadBlocks();
        Assert.Equal([b3.Hash], loaded.Select(b => b.Hash));
        Assert.True(loaded[0].HasValidHash(_f.Suite));
    }
}

using Trellis.Consensus.Raft;

namespace Trellis.Consensus.Tests.Raft;

public sealed class FileRaftStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-raftlog-" + Guid.NewGuid().ToString("N"));

    public FileRaftStorageTests() => Directory.CreateDirectory(_directory);

    private string FilePath => Path.Combine(_directory, RaftEngine.LogFileName);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort cleanup of a temporary directory.
        }
    }

    private static RaftEntry Entry(long index, long term, int length = 3) =>
        new(index, term, Enumerable.Range(0, length).Select(i => (byte)(index + i)).ToArray());

    [Fact]
    public void Reopen_ReturnsTermVoteEntriesTruncationAndCompaction()
    {
        using (var storage = new FileRaftStorage(FilePath))
        {
            storage.SaveTermAndVote(3, 2);
            storage.Append([Entry(1, 1), Entry(2, 1), Entry(3, 2), Entry(4, 3)]);
            storage.TruncateFrom(4);
            storage.Append([Entry(4, 3, 5)]);
            storage.Compact(2, 1);
        }

        using var reopened = new FileRaftStorage(FilePath);
        var state = reopened.Load();
        Assert.Equal((3L, 2, 2L, 1L), (state.Term, state.VotedFor, state.SnapshotIndex, state.SnapshotTerm));
        Assert.Equal([3L, 4L], state.Entries.Select(e => e.Index));
        Assert.Equal(Entry(4, 3, 5).Payload.ToArray(), state.Entries[1].Payload.ToArray());
    }

    [Fact]
    public void TornFinalRecord_IsCutOff_AndAppendingContinuesAfterTheLastWholeOne()
    {
        using (var storage = new FileRaftStorage(FilePath))
        {
            storage.Append([Entry(1, 1), Entry(2, 1)]);
        }

        using (var file = new FileStream(FilePath, FileMode.Open))
        {
            file.SetLength(file.Length - 7);
        }

        using (var storage = new FileRaftStorage(FilePath))
        {
            Assert.Equal([1L], storage.Load().Entries.Select(e => e.Index));
            storage.Append([Entry(2, 2)]);
        }

        using var reopened = new FileRaftStorage(FilePath);
        Assert.Equal([1L, 2L], reopened.Load().Entries.Select(e => e.Term));
    }

    [Fact]
    public void DamageBeforeTheLastRecord_IsAnErrorNamingTheFile()
    {
        using (var storage = new FileRaftStorage(FilePath))
        {
            storage.SaveTermAndVote(1, 0);
            storage.Append([Entry(1, 1)]);
        }

        var bytes = File.ReadAllBytes(FilePath);
        bytes[12] ^= 0xff; // inside the first record's body
        File.WriteAllBytes(FilePath, bytes);

        var error = Assert.Throws<InvalidDataException>(() => new FileRaftStorage(FilePath));
        Assert.Contains(FilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongMagic_IsRefused()
    {
        File.WriteAllBytes(FilePath, "NOPE\u0001"u8.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => new FileRaftStorage(FilePath));
        Assert.Contains("TRRF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_ThatDoesNotFollowTheLog_IsRefused()
    {
        using var storage = new FileRaftStorage(FilePath);
        storage.Append([Entry(1, 1)]);

        Assert.Throws<ArgumentException>(() => storage.Append([Entry(3, 1)]));
    }

    [Fact]
    public void CompactionOfALargeFile_RewritesItWithOnlyTheLiveState()
    {
        using (var storage = new FileRaftStorage(FilePath))
        {
            storage.SaveTermAndVote(4, 1);
            for (int i = 1; i <= 5; i++)
            {
                storage.Append([Entry(i, 4, 4 * 1024 * 1024)]);
            }

            Assert.True(storage.FileLength > FileRaftStorage.RewriteThreshold);
            storage.Compact(4, 4);
            Assert.True(storage.FileLength < 5 * 1024 * 1024, $"file is still {storage.FileLength} bytes");
            storage.Append([Entry(6, 4)]);
        }

        using var reopened = new FileRaftStorage(FilePath);
        var state = reopened.Load();
        Assert.Equal((4L, 1, 4L, 4L), (state.Term, state.VotedFor, state.SnapshotIndex, state.SnapshotTerm));
        Assert.Equal([5L, 6L], state.Entries.Select(e => e.Index));
        Assert.Equal(4 * 1024 * 1024, state.Entries[0].Payload.Length);
        Assert.False(File.Exists(FilePath + ".tmp"));
    }

    [Fact]
    public void Replica_RestartsFromTheFile()
    {
        using (var storage = new FileRaftStorage(FilePath))
        {
            var replica = new RaftReplica(0, 3, new RaftOptions { ElectionTimeout = 100, HeartbeatInterval = 10, PreVote = false }, storage, new Random(1));
            replica.Start(0);
            replica.Tick(250);
            replica.Receive(1, new Trellis.Consensus.Raft.Messages.RequestVoteResponseMessage(1, true), 251);
            Assert.Equal(RaftRole.Leader, replica.Role);
        }

        using var reopened = new FileRaftStorage(FilePath);
        var restarted = new RaftReplica(0, 3, new RaftOptions { ElectionTimeout = 100, HeartbeatInterval = 10, PreVote = false }, reopened, new Random(1));
        Assert.Equal((1L, 0, 1L), (restarted.CurrentTerm, restarted.VotedFor, restarted.LastLogIndex));
        Assert.Equal(RaftRole.Follower, restarted.Role);
    }
}

using Trellis.State.Storage;

namespace Trellis.State.Tests.Storage;

/// <summary>The behaviour every <see cref="IKeyValueStore"/> provider must have.</summary>
public abstract class KeyValueStoreContractTests : IDisposable
{
    private IKeyValueStore? _store;

    protected IKeyValueStore Store => _store ??= CreateStore();

    protected abstract IKeyValueStore CreateStore();

    public virtual void Dispose()
    {
        _store?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected void Put(byte[] key, byte[] value)
    {
        using IWriteBatch batch = Store.StartBatch();
        batch.Put(key, value);
        batch.Commit();
    }

    [Fact]
    public void Get_ReturnsNullForAMissingKey()
    {
        Assert.Null(Store.Get([1, 2, 3]));
        Assert.False(Store.Contains([1, 2, 3]));
    }

    [Fact]
    public void Put_ThenGet_ReturnsTheValue()
    {
        Put([1, 2, 3], [9, 8, 7]);

        Assert.Equal([9, 8, 7], Store.Get([1, 2, 3]));
        Assert.True(Store.Contains([1, 2, 3]));
        Assert.Null(Store.Get([1, 2]));
        Assert.Null(Store.Get([1, 2, 3, 4]));
    }

    [Fact]
    public void Put_OverwritesAnExistingValue()
    {
        Put([1], [1]);
        Put([1], [2, 2]);

        Assert.Equal([2, 2], Store.Get([1]));
    }

    [Fact]
    public void Put_AcceptsEmptyKeyAndEmptyValue()
    {
        Put([], []);

        Assert.Equal([], Store.Get([])!);
        Assert.True(Store.Contains([]));
    }

    [Fact]
    public void Delete_RemovesTheKey()
    {
        Put([5], [6]);
        using (IWriteBatch batch = Store.StartBatch())
        {
            batch.Delete([5]);
            batch.Delete([7]);
            batch.Commit();
        }

        Assert.Null(Store.Get([5]));
        Assert.False(Store.Contains([5]));
    }

    [Fact]
    public void Batch_LaterOperationOnTheSameKeyWins()
    {
        using IWriteBatch batch = Store.StartBatch();
        batch.Put([1], [1]);
        batch.Delete([1]);
        batch.Put([2], [1]);
        batch.Put([2], [2]);
        batch.Commit();

        Assert.Null(Store.Get([1]));
        Assert.Equal([2], Store.Get([2]));
    }

    [Fact]
    public void Batch_IsInvisibleBeforeCommit()
    {
        Put([1], [1]);
        using IWriteBatch batch = Store.StartBatch();
        batch.Put([2], [2]);
        batch.Delete([1]);

        Assert.Null(Store.Get([2]));
        Assert.Equal([1], Store.Get([1]));

        batch.Commit();
        Assert.Equal([2], Store.Get([2]));
        Assert.Null(Store.Get([1]));
    }

    [Fact]
    public void Batch_DisposedWithoutCommit_LeavesNothing()
    {
        try
        {
            using IWriteBatch batch = Store.StartBatch();
            for (byte i = 0; i < 100; i++)
            {
                batch.Put([i], [i]);
            }

            throw new InvalidOperationException("failure while building the batch");
        }
        catch (InvalidOperationException)
        {
        }

        for (byte i = 0; i < 100; i++)
        {
            Assert.False(Store.Contains([i]));
        }
    }

    [Fact]
    public void Batch_CannotBeUsedAfterCommit()
    {
        IWriteBatch batch = Store.StartBatch();
        batch.Put([1], [1]);
        batch.Commit();

        var error = Assert.Throws<InvalidOperationException>(() => batch.Put([2], [2]));
        Assert.Contains("already committed", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(batch.Commit);
        batch.Dispose();
    }

    [Fact]
    public void Get_ReturnsACopyTheCallerCannotUseToChangeTheStore()
    {
        Put([1], [1, 2]);
        byte[] value = Store.Get([1])!;
        value[0] = 99;

        Assert.Equal([1, 2], Store.Get([1]));
    }

    [Fact]
    public void Batch_OfManyKeys_IsAllVisibleAfterCommit()
    {
        using (IWriteBatch batch = Store.StartBatch())
        {
            for (int i = 0; i < 2000; i++)
            {
                batch.Put(BitConverter.GetBytes(i), BitConverter.GetBytes(i * 7));
            }

            batch.Commit();
        }

        for (int i = 0; i < 2000; i += 37)
        {
            Assert.Equal(BitConverter.GetBytes(i * 7), Store.Get(BitConverter.GetBytes(i)));
        }
    }

    [Fact]
    public async Task ConcurrentReadersAndWriters_SeeWholeBatchesOnly()
    {
        // Each batch writes the same counter under two keys; a reader must never see them differ.
        Put([0xa], BitConverter.GetBytes(0));
        Put([0xb], BitConverter.GetBytes(0));
        Task writer = Task.Run(() =>
        {
            for (int i = 1; i <= 300; i++)
            {
                using IWriteBatch batch = Store.StartBatch();
                batch.Put([0xa], BitConverter.GetBytes(i));
                batch.Put([0xb], BitConverter.GetBytes(i));
                batch.Commit();
            }
        });
        int mismatches = 0;
        while (!writer.IsCompleted)
        {
            int a = BitConverter.ToInt32(Store.Get([0xa])!);
            int b = BitConverter.ToInt32(Store.Get([0xb])!);

            // Reads are not one snapshot: b is read after a, so b may be newer, never older.
            if (b < a)
            {
                mismatches++;
            }
        }

        await writer;
        Assert.Equal(0, mismatches);
        Assert.Equal(300, BitConverter.ToInt32(Store.Get([0xb])!));
    }

    [Fact]
    public void Scan_ReturnsExactlyThePrefixedKeysInUnsignedByteOrder()
    {
        using (IWriteBatch batch = Store.StartBatch())
        {
            batch.Put([0x61, 0xff], [1]);
            batch.Put([0x61], [2]);
            batch.Put([0x61, 0x00, 0x05], [3]);
            batch.Put([0x61, 0x80], [4]);
            batch.Put([0x60, 0xff, 0xff], [5]);
            batch.Put([0x62], [6]);
            batch.Commit();
        }

        byte[][] keys = [.. Store.Scan([0x61]).Select(e => e.Key)];

        // Unsigned order (0x80 and 0xff after 0x00), the prefix itself first, neighbours 0x60.. and 0x62 excluded.
        Assert.Equal([[0x61], [0x61, 0x00, 0x05], [0x61, 0x80], [0x61, 0xff]], keys);
        Assert.Equal([2, 3, 4, 1], Store.Scan([0x61]).Select(e => e.Value[0]));
    }

    [Fact]
    public void Scan_HandlesAllFfPrefixAndEmptyPrefix()
    {
        using (IWriteBatch batch = Store.StartBatch())
        {
            batch.Put([0xff, 0xff], [1]);
            batch.Put([0xff, 0xff, 0x01], [2]);
            batch.Put([0xff, 0xfe], [3]);
            batch.Put([0x00], [4]);
            batch.Commit();
        }

        Assert.Equal([[0xff, 0xff], [0xff, 0xff, 0x01]], Store.Scan([0xff, 0xff]).Select(e => e.Key));
        Assert.Equal(4, Store.Scan([]).Count());
        Assert.Empty(Store.Scan([0x01]));
    }

    [Fact]
    public void ScanRange_IncludesStartExcludesEndAndReadsPastOnePage()
    {
        // More entries than one SQLite page (256) so the paging continues from the last key of each page.
        using (IWriteBatch batch = Store.StartBatch())
        {
            for (int i = 0; i < 1000; i++)
            {
                batch.Put([0x10, (byte)(i >> 8), (byte)i], BitConverter.GetBytes(i));
            }

            batch.Commit();
        }

        int[] values = [.. Store.ScanRange([0x10, 0x00, 0x05], [0x10, 0x03, 0x00]).Select(e => BitConverter.ToInt32(e.Value))];

        Assert.Equal(Enumerable.Range(5, 768 - 5), values);
        Assert.Equal(1000, Store.ScanRange([0x10], []).Count());
        Assert.Empty(Store.ScanRange([0x11], [0x10]));
    }

    [Fact]
    public void Scan_DoesNotSeeUncommittedWrites()
    {
        Put([0x30, 1], [1]);
        using IWriteBatch pending = Store.StartBatch();
        pending.Put([0x30, 2], [2]);

        Assert.Single(Store.Scan([0x30]));
    }
}

using Trellis.State.Storage;

namespace Trellis.State.Tests.Storage;

public sealed class MemoryStoreTests : KeyValueStoreContractTests
{
    protected override IKeyValueStore CreateStore() => new MemoryStore();

    [Fact]
    public void Count_CountsCommittedKeys()
    {
        var store = (MemoryStore)Store;
        Put([1], [1]);
        Put([2], [2]);

        Assert.Equal(2, store.Count);
    }
}

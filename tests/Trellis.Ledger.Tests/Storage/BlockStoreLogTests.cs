using Trellis.Core;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Tests.Execution;
using Trellis.State.Storage;

namespace Trellis.Ledger.Tests.Storage;

/// <summary>Log queries over a chain of scripted ERC-20 transfers; the expected answers come from the script.</summary>
public sealed class BlockStoreLogTests : IDisposable
{
    private readonly TestChain _chain;
    private readonly Address _token;
    private readonly Address _token2;
    private readonly List<Transfer> _script = [];

    public BlockStoreLogTests()
    {
        _chain = new TestChain();
        TestAccount alice = _chain.Alice, bob = _chain.Bob, carol = _chain.Carol;
        _token = Erc20.CreatedAddress(alice.Address, 0);
        _token2 = Erc20.CreatedAddress(bob.Address, 1);

        _chain.Append(alice.Call(0, null, Erc20.Deployment(new UInt256(1000))));
        _script.Add(new(1, _token, Address.Zero, alice.Address, 1000));
        _chain.Append(alice.Call(1, _token, Erc20.Transfer(bob.Address, new UInt256(10))), alice.Call(2, _token, Erc20.Transfer(carol.Address, new UInt256(20))));
        _script.Add(new(2, _token, alice.Address, bob.Address, 10));
        _script.Add(new(2, _token, alice.Address, carol.Address, 20));
        _chain.Append(bob.Call(0, _token, Erc20.Transfer(carol.Address, new UInt256(3))));
        _script.Add(new(3, _token, bob.Address, carol.Address, 3));
        _chain.Append(carol.Transfer(0, alice.Address, UInt256.One));
        _chain.Append(carol.Call(1, _token, Erc20.Transfer(alice.Address, new UInt256(7))), alice.Call(3, _token, Erc20.Transfer(bob.Address, new UInt256(1))));
        _script.Add(new(5, _token, carol.Address, alice.Address, 7));
        _script.Add(new(5, _token, alice.Address, bob.Address, 1));
        _chain.Append(bob.Call(1, null, Erc20.Deployment(new UInt256(50))));
        _script.Add(new(6, _token2, Address.Zero, bob.Address, 50));
    }

    public void Dispose() => _chain.Dispose();

    [Fact]
    public void GetLogs_ByAddressReturnsThatContractsLogsInOrder()
    {
        Assert.Equal(Expected(t => t.Token == _token), Query(new LogFilter { Addresses = [_token] }));
        Assert.Equal(Expected(t => t.Token == _token2), Query(new LogFilter { Addresses = [_token2] }));
        Assert.Equal(Expected(_ => true), Query(new LogFilter { Addresses = [_token2, _token] }));
        Assert.Empty(Query(new LogFilter { Addresses = [_chain.Carol.Address] }));
    }

    [Fact]
    public void GetLogs_ByTopicWithWildcardsAndAlternatives()
    {
        Hash256 alice = Erc20.Topic(_chain.Alice.Address), bob = Erc20.Topic(_chain.Bob.Address), carol = Erc20.Topic(_chain.Carol.Address);

        Assert.Equal(Expected(_ => true), Query(new LogFilter { Topics = [[Erc20.TransferTopic]] }));
        Assert.Equal(Expected(t => t.From == _chain.Alice.Address), Query(new LogFilter { Topics = [null, [alice]] }));
        Assert.Equal(Expected(t => t.To == _chain.Bob.Address || t.To == _chain.Carol.Address), Query(new LogFilter { Topics = [[Erc20.TransferTopic], [], [bob, carol]] }));
        Assert.Equal(Expected(t => t.Token == _token && t.To == _chain.Bob.Address), Query(new LogFilter { Addresses = [_token], Topics = [null, null, [bob]] }));

        // Transfer logs have three topics; a filter naming a fourth position never matches them.
        Assert.Empty(Query(new LogFilter { Topics = [[Erc20.TransferTopic], null, null, null] }));
    }

    [Fact]
    public void GetLogs_RespectsTheBlockRangeAndClampsToTheHead()
    {
        Assert.Equal(Expected(t => t.Height is >= 3 and <= 5 && t.Token == _token), Query(new LogFilter { FromBlock = 3, ToBlock = 5, Addresses = [_token] }));
        Assert.Equal(Expected(t => t.Height == 5), Query(new LogFilter { FromBlock = 4, ToBlock = 5 }));
        Assert.Equal(Expected(t => t.Height >= 5), Query(new LogFilter { FromBlock = 5, ToBlock = 1000, Topics = [[Erc20.TransferTopic]] }));
        Assert.Empty(Query(new LogFilter { FromBlock = 7 }));
        Assert.Empty(Query(new LogFilter { FromBlock = 4, ToBlock = 4, Addresses = [_token] }));
    }

    [Fact]
    public void GetLogs_ReportsBlockTransactionAndLogPositions()
    {
        IReadOnlyList<IndexedLog> logs = _chain.Blocks.GetLogs(new LogFilter { FromBlock = 5, ToBlock = 5 });

        Assert.Equal(2, logs.Count);
        Hash256 blockHash = _chain.Blocks.GetBlockHash(5)!.Value;
        var block = _chain.Blocks.GetBlock(5)!;
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal((5UL, blockHash, i, i), (logs[i].BlockHeight, logs[i].BlockHash, logs[i].TransactionIndex, logs[i].LogIndex));
            Assert.Equal(Keccak256.Hash(block.Transactions[i].Encoded), logs[i].TransactionHash);
        }

        // The same positions come back through the index.
        IReadOnlyList<IndexedLog> indexed = _chain.Blocks.GetLogs(new LogFilter { FromBlock = 5, ToBlock = 5, Addresses = [_token] });
        Assert.Equal(logs.Select(l => (l.TransactionHash, l.LogIndex)), indexed.Select(l => (l.TransactionHash, l.LogIndex)));
    }

    [Fact]
    public void GetLogs_RefusesMoreMatchesThanTheLimitWithAClearError()
    {
        var error = Assert.Throws<LogQueryException>(() => _chain.Blocks.GetLogs(new LogFilter { Addresses = [_token] }, maxResults: 3));

        Assert.True(error.LimitExceeded);
        Assert.Equal("query over blocks 0..6 matches more than 3 logs; narrow the block range or add address or topic filters", error.Message);
        Assert.Equal(3, _chain.Blocks.GetLogs(new LogFilter { FromBlock = 2, ToBlock = 3 }, maxResults: 3).Count);
        Assert.Throws<LogQueryException>(() => _chain.Blocks.GetLogs(new LogFilter(), maxResults: 6));
    }

    [Fact]
    public void GetLogs_RefusesAReversedRangeAndTooManyTopicPositions()
    {
        Assert.Equal("fromBlock 5 is after toBlock 2", Assert.Throws<LogQueryException>(() => _chain.Blocks.GetLogs(new LogFilter { FromBlock = 5, ToBlock = 2 })).Message);
        Assert.Equal(
            "the filter has 5 topic positions; a log has at most 4",
            Assert.Throws<LogQueryException>(() => _chain.Blocks.GetLogs(new LogFilter { Topics = [null, null, null, null, null] })).Message);
    }

    [Fact]
    public void GetLogs_WorksTheSameOverSqlite()
    {
        using var directory = new TempDirectory();
        using SqliteStore store = SqliteStore.Open(directory.File("chain.db"));
        using var chain = new TestChain(store);
        Address token = Erc20.CreatedAddress(chain.Alice.Address, 0);
        chain.Append(chain.Alice.Call(0, null, Erc20.Deployment(new UInt256(1000))));
        for (ulong i = 1; i <= 300; i++)
        {
            chain.Append(chain.Alice.Call(i, token, Erc20.Transfer(chain.Bob.Address, UInt256.One)));
        }

        IReadOnlyList<IndexedLog> logs = chain.Blocks.GetLogs(new LogFilter { FromBlock = 2, ToBlock = 299, Topics = [null, null, [Erc20.Topic(chain.Bob.Address)]] });

        // More than one scan page (256 rows), in block order.
        Assert.Equal(Enumerable.Range(2, 298).Select(h => (ulong)h), logs.Select(l => l.BlockHeight));
    }

    private List<Transfer> Expected(Func<Transfer, bool> predicate) => [.. _script.Where(predicate)];

    private List<Transfer> Query(LogFilter filter)
    {
        var transfers = new List<Transfer>();
        foreach (IndexedLog log in _chain.Blocks.GetLogs(filter))
        {
            var from = new Address(log.Log.Topics[1].Bytes[12..]);
            var to = new Address(log.Log.Topics[2].Bytes[12..]);
            ulong value = (ulong)UInt256.FromBigEndian(log.Log.Data.Span);
            transfers.Add(new Transfer(log.BlockHeight, log.Log.Address, from, to, value));
        }

        return transfers;
    }

    private sealed record Transfer(ulong Height, Address Token, Address From, Address To, ulong Value);
}

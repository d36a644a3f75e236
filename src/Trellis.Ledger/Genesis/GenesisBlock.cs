using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Governance;
using Trellis.State;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.Ledger.Genesis;

/// <summary>Builds a chain's first block and state from its configuration.</summary>
public static class GenesisBlock
{
    /// <summary>
    /// Writes the genesis state (the <c>alloc</c> accounts and the governance contracts' state) into <paramref name="store"/> in one atomic batch and
    /// returns the genesis block: height 0, parent hash zero, no transactions, the state root, the configured
    /// timestamp and block gas limit. The same configuration always gives the same block hash.
    /// </summary>
    public static Block Create(ChainConfig config, IKeyValueStore store)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(store);
        var state = new WorldState(store, config.Suite);

        // Sorted so that nothing depends on dictionary order (the root would not, but the write order would).
        foreach (KeyValuePair<Address, GenesisAccount> entry in config.Alloc.OrderBy(e => e.Key))
        {
            Address address = entry.Key;
            GenesisAccount account = entry.Value;
            state.AddBalance(address, account.Balance);
            if (account.Nonce != 0)
            {
                state.SetNonce(address, account.Nonce);
            }

            if (!account.Code.IsEmpty)
            {
                state.SetCode(address, account.Code.ToArray());
            }

            foreach (KeyValuePair<UInt256, UInt256> slot in account.Storage.OrderBy(s => s.Key))
            {
                state.SetStorage(address, slot.Key, slot.Value);
            }
        }

        GovernanceGenesis.Seed(state, config);

        Hash256 stateRoot;
        using (IWriteBatch batch = store.StartBatch())
        {
            stateRoot = state.Commit(batch);
            batch.Commit();
        }

        Hash256 emptyRoot = PatriciaTrie.ComputeRoot(config.Suite, []);
        var header = new BlockHeader
        {
            ParentHash = Hash256.Zero,
            Height = 0,
            Timestamp = config.Timestamp,
            Proposer = Address.Zero,
            TransactionsRoot = emptyRoot,
            ReceiptsRoot = emptyRoot,
            StateRoot = stateRoot,
            GasUsed = 0,
            GasLimit = config.BlockGasLimit,
        };
        return new Block(header, []);
    }
}

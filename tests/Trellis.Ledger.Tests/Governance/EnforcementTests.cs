using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Tests.Execution;
using Trellis.Ledger.Transactions;
using Trellis.Sdk.Abi;
using Trellis.State;

namespace Trellis.Ledger.Tests.Governance;

/// <summary>What governance enforces: a permissioned chain's pool and execution refuse senders without rights; frozen contracts refuse calls.</summary>
public sealed class EnforcementTests
{
    private const string Permissioned = """{ "mode": "permissioned" }""";
    private static readonly UInt256 Ether = UInt256.Parse("1000000000000000000");

    private sealed class HeadReader(IWorldState state) : IAccountStateReader
    {
        public ulong GetNonce(in Address address) => state.GetNonce(address);

        public UInt256 GetBalance(in Address address) => state.GetBalance(address);
    }

    private static TxPool Pool(GovernanceChain chain) =>
        new(chain.Config, chain.Config.Suite, new HeadReader(chain.Chain.OpenState()), new GovernancePermissionPolicy(chain.Chain.OpenState()));

    [Fact]
    public void PermissionedPool_RejectsASenderWithoutTheTransactRight()
    {
        using var chain = new GovernanceChain(permissions: Permissioned);
        TxPool pool = Pool(chain);
        Transaction transfer = chain.Chain.Alice.Transfer(0, chain.Chain.Bob.Address, Ether).Transaction;

        TxPoolResult result = pool.TryAdd(transfer.Encode());

        Assert.Equal(TxError.NotPermitted, result.Error);
        Assert.Contains($"the chain is permissioned and {chain.Chain.Alice.Address} has no transact right", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void PermissionedPool_AcceptsMemberAdminsAndGrantedAccounts()
    {
        using var chain = new GovernanceChain(permissions: Permissioned);
        chain.Pass("proposeGrantRights", chain.Chain.Alice.Address, (byte)AccountRights.Transact);
        TxPool pool = Pool(chain);

        TxPoolResult granted = pool.TryAdd(chain.Chain.Alice.Transfer(0, chain.Chain.Bob.Address, Ether).Transaction.Encode());
        TxPoolResult admin = pool.TryAdd(chain.Sign(chain.Admins[0], chain.Chain.Bob.Address, []).Transaction.Encode());

        Assert.True(granted.IsAccepted, granted.Message);
        Assert.True(admin.IsAccepted, admin.Message);
    }

    [Fact]
    public void PermissionedPool_RequiresTheDeployRightToCreateAContract()
    {
        using var chain = new GovernanceChain(permissions: Permissioned);
        chain.Pass("proposeGrantRights", chain.Chain.Alice.Address, (byte)AccountRights.Transact);
        TxPool pool = Pool(chain);

        TxPoolResult deploy = pool.TryAdd(chain.Chain.Alice.Call(0, null, Erc20.Deployment(new UInt256(1))).Transaction.Encode());
        TxPoolResult adminDeploy = pool.TryAdd(chain.Sign(chain.Admins[0], null, Erc20.Deployment(new UInt256(1))).Transaction.Encode());

        Assert.Equal(TxError.NotPermitted, deploy.Error);
        Assert.Contains("has no deploy right", deploy.Message, StringComparison.Ordinal);
        Assert.Equal(TxError.NotPermitted, adminDeploy.Error);
    }

    [Fact]
    public void OpenPool_AcceptsEveryone()
    {
        using var chain = new GovernanceChain();

        TxPoolResult result = Pool(chain).TryAdd(chain.Chain.Alice.Call(0, null, Erc20.Deployment(new UInt256(1))).Transaction.Encode());

        Assert.True(result.IsAccepted, result.Message);
    }

    [Fact]
    public void PermissionedExecution_LeavesOutASenderWithoutRightsWhenBuildingAndRejectsABlockWithOne()
    {
        using var chain = new GovernanceChain(permissions: Permissioned);

        // A proposer that ignores the rule (here: one on an open chain): every validator that re-executes the
        // block finds the transaction invalid, before comparing any header field.
        using (var open = new GovernanceChain())
        {
            Block forged = open.Append(open.Chain.Alice.Transfer(0, open.Chain.Bob.Address, Ether)).Block;
            BlockExecutionResult verified = chain.Chain.Executor.Execute(chain.Chain.OpenState(), chain.Chain.Blocks.Head!, forged, chain.Chain.Blocks.GetBlockHash);
            Assert.False(verified.IsValid);
            Assert.Equal(0, verified.InvalidTransactionIndex);
            Assert.Contains($"the chain is permissioned and {chain.Chain.Alice.Address} has no transact right", verified.InvalidReason, StringComparison.Ordinal);
        }

        BlockExecutionResult built = chain.Append(chain.Chain.Alice.Transfer(0, chain.Chain.Bob.Address, Ether));

        SkippedTransaction skipped = Assert.Single(built.Skipped);
        Assert.Contains("has no transact right", skipped.Reason, StringComparison.Ordinal);
        Assert.Empty(built.Transactions);
    }

    [Fact]
    public void PermissionedExecution_AGrantEarlierInTheBlockAppliesToLaterTransactions()
    {
        using var chain = new GovernanceChain(members: 1, permissions: Permissioned);
        VerifiedTransaction grant = chain.Sign(chain.Admins[0], GovernanceAddresses.Governance, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "proposeGrantRights", chain.Chain.Alice.Address, (byte)3));
        VerifiedTransaction deploy = chain.Chain.Alice.Call(0, null, Erc20.Deployment(new UInt256(5)));

        BlockExecutionResult result = chain.Append(grant, deploy);

        Assert.Empty(result.Skipped);
        Assert.Equal(2, result.Transactions.Count);
        Assert.All(result.Transactions, t => Assert.True(t.Receipt.Success, t.ExecutionError));
    }

    [Fact]
    public void PermissionedExecution_GenesisRightsApply()
    {
        using var chain = new GovernanceChain(permissions: $$"""{ "mode": "permissioned", "accounts": { "{{new TestAccount(Trellis.Crypto.CryptoSuites.Standard, 1).Address.ToLowerHex()}}": ["transact"] } }""");

        BlockExecutionResult transfer = chain.Append(chain.Chain.Alice.Transfer(0, chain.Chain.Bob.Address, Ether));
        BlockExecutionResult deploy = chain.Append(chain.Chain.Alice.Call(1, null, Erc20.Deployment(new UInt256(5))));

        Assert.Single(transfer.Transactions);
        Assert.Contains("has no deploy right", Assert.Single(deploy.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FrozenContract_RejectsCallsUntilUnfrozen()
    {
        using var chain = new GovernanceChain();
        Address token = Erc20.CreatedAddress(chain.Chain.Alice.Address, 0);
        Assert.True(chain.Send(chain.Chain.Alice, null, Erc20.Deployment(new UInt256(1000))).Receipt.Success);
        chain.Pass("proposeFreezeContract", token);

        ExecutedTransaction frozen = chain.Send(chain.Chain.Alice, token, Erc20.Transfer(chain.Chain.Bob.Address, new UInt256(10)));

        Assert.False(frozen.Receipt.Success);
        RevertReason reason = RevertReason.Decode(frozen.Output);
        Assert.Equal(RevertReasonKind.Error, reason.Kind);
        Assert.StartsWith("contract frozen", reason.Message, StringComparison.Ordinal);
        Assert.Equal(UInt256.Zero, chain.Chain.OpenState().GetStorage(token, Erc20.BalanceSlot(chain.Chain.Bob.Address)));
        Assert.Empty(frozen.Receipt.Logs);

        chain.Pass("proposeUnfreezeContract", token);
        ExecutedTransaction thawed = chain.Send(chain.Chain.Alice, token, Erc20.Transfer(chain.Chain.Bob.Address, new UInt256(10)));
        Assert.True(thawed.Receipt.Success, thawed.ExecutionError);
        Assert.Equal(new UInt256(10), chain.Chain.OpenState().GetStorage(token, Erc20.BalanceSlot(chain.Chain.Bob.Address)));
    }

    [Fact]
    public void FrozenContract_GovernanceContractsCannotBeFrozen()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction proposed = chain.Propose(0, "proposeFreezeContract", GovernanceAddresses.Governance);

        Assert.Contains("is a governance contract and cannot be frozen", GovernanceChain.RevertMessage(proposed), StringComparison.Ordinal);
    }
}

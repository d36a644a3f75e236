using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// A node of the HotStuff block tree: an opaque payload, the state root its proposer computed by executing it on top
/// of the parent, and the QC that justifies extending the parent. Immutable; the hash covers every field except
/// the signatures inside <see cref="Justify"/> (a QC is identified by its view and block).
/// </summary>
public sealed class HotStuffBlock
{
    private static readonly byte[] s_domain = Encoding.ASCII.GetBytes("trellis/hotstuff/block/v1");

    private readonly byte[] _payload;

    // The suite that computed Hash from these (immutable) fields; HasValidHash with the same suite need not rehash.
    private readonly ICryptoSuite? _hashedBy;

    private HotStuffBlock(Hash256 hash, Hash256 parentHash, long view, long height, byte[] payload, Hash256 stateRoot, QuorumCertificate justify, ICryptoSuite? hashedBy = null)
    {
        Hash = hash;
        _hashedBy = hashedBy;
        ParentHash = parentHash;
        View = view;
        Height = height;
        _payload = payload;
        StateRoot = stateRoot;
        Justify = justify;
    }

    /// <summary>The suite hash of the block's fields (see <see cref="ComputeHash"/>).</summary>
    public Hash256 Hash { get; }

    /// <summary>The parent's hash; for every block but genesis it equals <c>Justify.BlockHash</c>.</summary>
    public Hash256 ParentHash { get; }

    /// <summary>The view in which the block was proposed (0 for genesis).</summary>
    public long View { get; }

    /// <summary>Distance from genesis (parent's height + 1).</summary>
    public long Height { get; }

    /// <summary>The opaque payload (transactions, for the ledger).</summary>
    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>The state root after executing the payload on the parent's state.</summary>
    public Hash256 StateRoot { get; }

    /// <summary>The QC of the parent.</summary>
    public QuorumCertificate Justify { get; }

    /// <summary>True for the root of the tree (height 0).</summary>
    public bool IsGenesis => Height == 0;

    /// <summary>The genesis block of a chain whose initial state has <paramref name="stateRoot"/>.</summary>
    public static HotStuffBlock CreateGenesis(ICryptoSuite suite, Hash256 stateRoot)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var justify = new QuorumCertificate(0, Hash256.Zero, []);
        var hash = ComputeHash(suite, Hash256.Zero, 0, 0, [], stateRoot, justify);
        return new HotStuffBlock(hash, Hash256.Zero, 0, 0, [], stateRoot, justify);
    }

    /// <summary>A child of <paramref name="parent"/> proposed in <paramref name="view"/>, justified by the parent's QC.</summary>
    /// <exception cref="ArgumentException">The QC is not the parent's, or the view does not exceed the QC's view.</exception>
    public static HotStuffBlock Create(ICryptoSuite suite, HotStuffBlock parent, long view, ReadOnlySpan<byte> payload, Hash256 stateRoot, QuorumCertificate justify)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(justify);
        if (justify.BlockHash != parent.Hash)
        {
            throw new ArgumentException($"the justify QC certifies {justify.BlockHash} but the parent is {parent.Hash}", nameof(justify));
        }

        if (view <= justify.View)
        {
            throw new ArgumentException($"a block's view must exceed its justify QC's view: {view} <= {justify.View}", nameof(view));
        }

        return FromParts(suite, parent.Hash, view, parent.Height + 1, payload, stateRoot, justify);
    }

    /// <summary>
    /// Rebuilds a block from its fields as received, computing its hash. Nothing is checked against a tree;
    /// <see cref="SafetyRules"/> and the replica do that.
    /// </summary>
    public static HotStuffBlock FromParts(ICryptoSuite suite, Hash256 parentHash, long view, long height, ReadOnlySpan<byte> payload, Hash256 stateRoot, QuorumCertificate justify)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(justify);
        var hash = ComputeHash(suite, parentHash, view, height, payload, stateRoot, justify);
        return new HotStuffBlock(hash, parentHash, view, height, payload.ToArray(), stateRoot, justify, suite);
    }

    /// <summary>
    /// The block hash: suite hash of domain tag ‖ parent ‖ view ‖ height ‖ state root ‖ justify view ‖ justify block ‖
    /// payload length ‖ payload (integers big-endian, 8 bytes; the length 4 bytes).
    /// </summary>
    public static Hash256 ComputeHash(ICryptoSuite suite, Hash256 parentHash, long view, long height, ReadOnlySpan<byte> payload, Hash256 stateRoot, QuorumCertificate justify)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(justify);
        int fixedLength = s_domain.Length + 32 + 8 + 8 + 32 + 8 + 32 + 4;
        int length = fixedLength + payload.Length;

        // Pooled: a payload of a few hundred transactions is past the large-object threshold, and a fresh array per
        // hash (every proposal built, received and loaded) made the GC collect the large-object heap (gen 2).
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            return suite.Hash(Fill(buffer.AsSpan(0, length), parentHash, view, height, payload, stateRoot, justify));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ReadOnlySpan<byte> Fill(Span<byte> span, Hash256 parentHash, long view, long height, ReadOnlySpan<byte> payload, Hash256 stateRoot, QuorumCertificate justify)
    {
        s_domain.CopyTo(span);
        int at = s_domain.Length;
        parentHash.Bytes.CopyTo(span[at..]);
        at += 32;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], view);
        at += 8;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], height);
        at += 8;
        stateRoot.Bytes.CopyTo(span[at..]);
        at += 32;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], justify.View);
        at += 8;
        justify.BlockHash.Bytes.CopyTo(span[at..]);
        at += 32;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], payload.Length);
        at += 4;
        payload.CopyTo(span[at..]);
        return span;
    }

    /// <summary>True when the stored hash matches the fields (detects a block altered after hashing).</summary>
    /// <remarks>
    /// A block built by <see cref="FromParts"/> (every received, created and loaded block) got its hash from these same
    /// immutable fields, so with the same suite the answer is known without hashing the payload again.
    /// </remarks>
    public bool HasValidHash(ICryptoSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return ReferenceEquals(suite, _hashedBy) || ComputeHash(suite, ParentHash, View, Height, _payload, StateRoot, Justify) == Hash;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Block(h{Height} v{View} {Hash.ToString()[..10]})";
}

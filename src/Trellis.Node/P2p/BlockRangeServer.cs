using Google.Protobuf;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Storage;
using Trellis.Network.Messages;

namespace Trellis.Node.P2p;

/// <summary>
/// Answers block-range requests from the block store: committed blocks from the asked height in order, each encoded
/// with <see cref="Block.Encode"/> (its commit certificate rides in its header), at most a block and byte limit per
/// answer. Anything unanswerable (a malformed request, a range above the head, a zero count) is answered empty.
/// </summary>
public static class BlockRangeServer
{
    /// <summary>The answer to the request in <paramref name="requestPayload"/>, encoded.</summary>
    public static byte[] CreateResponse(BlockStore blocks, ReadOnlySpan<byte> requestPayload, int maxBlocks, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBlocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        BlockRangeRequest request;
        try
        {
            request = BlockRangeRequest.Parser.ParseFrom(requestPayload);
        }
        catch (InvalidProtocolBufferException)
        {
            return new BlockRangeResponse().ToByteArray();
        }

        return CreateResponse(blocks, request.FirstHeight, request.Count, maxBlocks, maxBytes).ToByteArray();
    }

    /// <summary>The committed blocks <paramref name="firstHeight"/> .. + <paramref name="count"/> - 1, within the limits.</summary>
    public static BlockRangeResponse CreateResponse(BlockStore blocks, ulong firstHeight, uint count, int maxBlocks, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var response = new BlockRangeResponse { FirstHeight = firstHeight };
        ulong head = blocks.Head?.Height ?? 0;
        if (blocks.Head is null || firstHeight > head)
        {
            return response;
        }

        // Never past the head (so a huge count cannot make the loop run long) and never past the limits.
        ulong wanted = Math.Min(Math.Min(count, (ulong)maxBlocks), head - firstHeight + 1);
        long bytes = 0;
        for (ulong i = 0; i < wanted; i++)
        {
            Block? block = blocks.GetBlock(firstHeight + i);
            if (block is null)
            {
                break;
            }

            byte[] encoded = block.Encode();
            bytes += encoded.Length;
            if (bytes > maxBytes)
            {
                break;
            }

            response.Blocks.Add(UnsafeByteOperations.UnsafeWrap(encoded));
        }

        return response;
    }
}

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// Liveness for HotStuff (the paper's Pacemaker, section 4.4): which view a validator is in, who leads it (round
/// robin), and when it gives up on it. A view is entered only on proof that the previous one ended: a QC of a view
/// at least the current one, or a timeout certificate. Each view entered without a QC after the first doubles the
/// timeout (exponential back-off, capped) so that after a period of asynchrony honest validators overlap in one view long
/// enough for a proposal to be certified; the first QC resets it. Owns no timer: the driver passes the time in.
/// </summary>
public sealed class Pacemaker
{
    private readonly ValidatorSet _validators;
    private readonly HotStuffOptions _options;

    /// <summary>Starts in <paramref name="view"/> at time <paramref name="now"/>.</summary>
    public Pacemaker(ValidatorSet validators, HotStuffOptions options, long view, long now)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(view, 1);
        _validators = validators;
        _options = options;
        CurrentView = view;
        Deadline = now + TimeoutFor(0);
    }

    /// <summary>The view the validator is in.</summary>
    public long CurrentView { get; private set; }

    /// <summary>When the current view (or the last timeout's retransmission) expires.</summary>
    public long Deadline { get; private set; }

    /// <summary>Views entered without a QC since the last QC (the back-off exponent).</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>The current view's leader.</summary>
    public int CurrentLeader => _validators.LeaderOf(CurrentView);

    /// <summary>The leader of any view (round robin).</summary>
    public int LeaderOf(long view) => _validators.LeaderOf(view);

    /// <summary>
    /// base × 2^(failures − 1) once two or more views failed in a row (base for none or one), capped at
    /// <see cref="HotStuffOptions.MaxTimeout"/>. One failed view is what a single crashed or slow leader costs, and
    /// waiting longer in the next view would not help it; views that keep failing point to validators out of step,
    /// which the doubling fixes (it still grows without bound until the cap).
    /// </summary>
    public long TimeoutFor(int failures)
    {
        long timeout = _options.BaseTimeout;
        for (int i = 1; i < failures && timeout < _options.MaxTimeout; i++)
        {
            timeout *= 2;
        }

        return Math.Min(timeout, _options.MaxTimeout);
    }

    /// <summary>A QC of <paramref name="qcView"/> ends that view: move to the next one if that is ahead, and reset the back-off.</summary>
    /// <returns>True when the view changed.</returns>
    public bool AdvanceOnQc(long qcView, long now)
    {
        if (qcView < CurrentView)
        {
            return false;
        }

        CurrentView = qcView + 1;
        ConsecutiveFailures = 0;
        Deadline = now + TimeoutFor(0);
        return true;
    }

    /// <summary>
    /// A TC of <paramref name="tcView"/> ends that view without progress: move to the first view of the next leader's
    /// term (<see cref="ValidatorSet.ViewAfterTimeout"/>) and back off.
    /// </summary>
    /// <returns>True when the view changed.</returns>
    public bool AdvanceOnTc(long tcView, long now)
    {
        // Compared by where the certificate leads, not by its own view: a validator that entered the second view of
        // the timed-out leader's term by a QC is behind the view the TC of the first one moves everyone else to.
        long next = _validators.ViewAfterTimeout(tcView);
        if (next <= CurrentView)
        {
            return false;
        }

        CurrentView = next;
        ConsecutiveFailures++;
        Deadline = now + TimeoutFor(ConsecutiveFailures);
        return true;
    }

    /// <summary>
    /// Nothing to do: push the deadline a full timeout past <paramref name="now"/>, so an idle chain never times out
    /// and the clock starts afresh when work arrives.
    /// </summary>
    public void Postpone(long now) => Deadline = now + TimeoutFor(ConsecutiveFailures);

    /// <summary>True when the current view's deadline has passed.</summary>
    public bool IsExpired(long now) => now >= Deadline;

    /// <summary>
    /// The validator timed out in the current view and sent its timeout; it stays in the view (only a certificate
    /// moves it) and will resend after the current back-off if no certificate arrives.
    /// </summary>
    public void RecordLocalTimeout(long now) => Deadline = now + TimeoutFor(Math.Max(1, ConsecutiveFailures));
}

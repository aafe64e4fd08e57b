using System.Globalization;
using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.OnlineServing;
using Granary.Quality.Validation;
using Granary.Resolution;
using Granary.Streams;

namespace Granary.Push;

/// <summary>
/// The validation rules of every view a push reaches, applied to the pushed rows before anything is written: which
/// rows fail an <c>error</c> rule of any view (one mask for the whole source, as lateness is, so the offline log and
/// every view keep the same rows) and what each rule found, <c>warn</c> rules included.
/// </summary>
internal sealed class PushValidation
{
    private PushValidation(bool[]? rejected, int rejectedRows, List<RuleViolations> violations, List<RuleViolations> blocking)
    {
        Rejected = rejected;
        RejectedRows = rejectedRows;
        Violations = violations;
        BlockingBatch = blocking;
    }

    /// <summary>Per pushed row, whether it fails an <c>error</c> rule; null when no row does.</summary>
    public bool[]? Rejected { get; }

    public int RejectedRows { get; }

    /// <summary>Every rule that found something, in view then declaration order.</summary>
    public List<RuleViolations> Violations { get; }

    /// <summary><c>error</c> rules over the rows as a whole (<c>max_null_fraction</c>) that failed: no row can be dropped to pass them.</summary>
    public List<RuleViolations> BlockingBatch { get; }

    public static PushValidation Run(ResolvedPushSource push, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, bool toOnline)
    {
        bool[]? rejected = null;
        var violations = new List<RuleViolations>();
        var blocking = new List<RuleViolations>();
        foreach (var plan in push.Views)
        {
            if ((!plan.View.Online && toOnline) || plan.Validator is not { } validator)
            {
                continue;
            }

            var batch = plan.Stream is { } stream
                ? StreamEventCells.ToBatch(PushedEvents.ToEvents(plan, push.Batch, columns, rows), plan.JoinKeys.Count, stream.Target.Plan.Columns.Count)
                : PushedRows.ToCells(plan, push.Batch, columns, rows);
            var tally = new ValidationTally(validator);
            rejected ??= new bool[rows];
            validator.Validate(batch, tally, rejected);
            violations.AddRange(tally.Violations());
            blocking.AddRange(tally.BlockingNullFractions());
        }

        var count = 0;
        if (rejected is not null)
        {
            foreach (var r in rejected)
            {
                count += r ? 1 : 0;
            }
        }

        return new PushValidation(count > 0 ? rejected : null, count, violations, blocking);
    }

    /// <summary>The 422 refusing the push whole: each failing <c>error</c> rule with its counts and an example.</summary>
    public GranaryException Refusal(string source, bool allowPartial)
    {
        var text = new StringBuilder($"Push to push source '{source}' refused; nothing was written:");
        foreach (var v in Violations)
        {
            if (!v.IsBlocking)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $" feature view '{v.View}', feature '{v.Feature}', rule '{v.Rule}':");
            text.Append(v.Rule == "max_null_fraction"
                ? $" {v.Failed} of {v.Total} values are null, more than the rule allows;"
                : $" {v.Failed} of {v.Total} rows fail (e.g. df.{v.Feature}[{v.ExampleRow}] = {v.ExampleValue});");
        }

        text.Append(BlockingBatch.Count > 0
            ? allowPartial
                ? " a rule over all the rows fails, which dropping rows cannot mend."
                : " correct the rows."
            : " correct the rows, or push with \"allow_partial\": true to write the rows that pass.");
        return new GranaryException(ErrorCodes.Unprocessable, text.ToString());
    }

    /// <summary>Whether the push must be refused whole: a rule over all rows fails, or a row fails and the push is all or nothing.</summary>
    public bool Refuses(bool allowPartial) => BlockingBatch.Count > 0 || (RejectedRows > 0 && !allowPartial);

}

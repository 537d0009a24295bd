using Akka.Streams;
using Akka.Streams.Stage;

namespace Hean.Persistence.Redis.Query;

/// <summary>One page of a query: its elements, the state the next fetch starts from, and whether nothing follows.</summary>
internal readonly record struct QueryPage<TState, T>(IReadOnlyList<T> Items, TState Next, bool Final);

/// <summary>
/// A source that reads a query page by page, one fetch at a time and only on demand. A page marked final ends the
/// stream as soon as its last element is pushed, so a subscriber that requests exactly the number of elements there
/// are sees completion without asking for one more (what the persistence query contract asks of "current" queries).
/// An empty page that is not final is fetched again after <c>poll</c> (live queries), or at once when there is no poll.
/// </summary>
internal sealed class PagedSource<TState, T> : GraphStage<SourceShape<T>>
{
    private readonly Outlet<T> _out;
    private readonly TState _initial;
    private readonly Func<TState, Task<QueryPage<TState, T>>> _fetch;
    private readonly TimeSpan? _poll;
    private readonly string _name;

    public PagedSource(TState initial, Func<TState, Task<QueryPage<TState, T>>> fetch, TimeSpan? poll, string name)
    {
        (_initial, _fetch, _poll, _name) = (initial, fetch, poll, name);
        _out = new Outlet<T>($"{name}.out");
    }

    public override SourceShape<T> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName(_name);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private readonly PagedSource<TState, T> _stage;
        private readonly Queue<T> _buffer = new();
        private readonly Action<Task<QueryPage<TState, T>>> _fetched;
        private TState _state;
        private bool _final;
        private bool _fetching;

        public Logic(PagedSource<TState, T> stage) : base(stage.Shape)
        {
            _stage = stage;
            _state = stage._initial;
            _fetched = GetAsyncCallback<Task<QueryPage<TState, T>>>(OnFetched);
            SetHandler(stage._out, onPull: OnPull);
        }

        private void OnPull()
        {
            if (_buffer.Count > 0) PushNext();
            else if (_final) CompleteStage();
            else Fetch();
        }

        private void PushNext()
        {
            Push(_stage._out, _buffer.Dequeue());
            if (_buffer.Count == 0 && _final) CompleteStage();
        }

        private void Fetch()
        {
            if (_fetching) return;
            _fetching = true;
            _stage._fetch(_state).ContinueWith(_fetched.Invoke, TaskContinuationOptions.ExecuteSynchronously);
        }

        private void OnFetched(Task<QueryPage<TState, T>> task)
        {
            _fetching = false;
            if (task.IsFaulted || task.IsCanceled)
            {
                FailStage(task.Exception?.GetBaseException() ?? new TaskCanceledException($"{_stage._name}: the read was cancelled"));
                return;
            }
            var page = task.Result;
            _state = page.Next;
            _final = page.Final;
            foreach (var item in page.Items) _buffer.Enqueue(item);
            if (_buffer.Count > 0)
            {
                if (IsAvailable(_stage._out)) PushNext();
            }
            else if (_final) CompleteStage();
            else if (_stage._poll is { } wait) ScheduleOnce("poll", wait);
            else Fetch();
        }

        protected override void OnTimer(object timerKey)
        {
            if (IsAvailable(_stage._out) && _buffer.Count == 0) Fetch();
        }
    }
}

using Akka.Actor;
using Hean.Core.Orders;
using Hean.Core.Signals;

namespace Hean.Host.Hosting;

/// <summary>The last fills and signals for the live screen, kept from the EventStream by a small actor; read from any thread.</summary>
public sealed class RecentActivity
{
    private readonly int _keep;
    private readonly LinkedList<Fill> _fills = new();
    private readonly LinkedList<Signal> _signals = new();
    private readonly Lock _lock = new();

    private RecentActivity(int keep) => _keep = keep;

    /// <summary>Follows <paramref name="system"/>'s fills and signals until it terminates.</summary>
    public static RecentActivity Follow(ActorSystem system, int keep = 5)
    {
        var recent = new RecentActivity(keep);
        system.ActorOf(Props.Create(() => new Follower(recent)), "recent-activity");
        return recent;
    }

    public IReadOnlyList<Fill> Fills
    {
        get { lock (_lock) return _fills.Reverse().ToList(); }
    }

    public IReadOnlyList<Signal> Signals
    {
        get { lock (_lock) return _signals.Reverse().ToList(); }
    }

    private void Add<T>(LinkedList<T> list, T item)
    {
        lock (_lock)
        {
            list.AddLast(item);
            if (list.Count > _keep) list.RemoveFirst();
        }
    }

    private sealed class Follower : ReceiveActor
    {
        public Follower(RecentActivity recent)
        {
            Receive<OrderFilled>(f => recent.Add(recent._fills, f.Fill));
            Receive<Signal>(s => recent.Add(recent._signals, s));
        }

        protected override void PreStart()
        {
            Context.System.EventStream.Subscribe(Self, typeof(OrderFilled));
            Context.System.EventStream.Subscribe(Self, typeof(Signal));
        }
    }
}

package dev.ccaasfailover.cluster;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

import java.util.List;
import java.util.Optional;

/**
 * {@code failover.cluster.kind=none}: this instance is the only member and always leads, so the {@code master:}
 * routes read the same with or without a cluster.
 */
public class SingleInstanceClusterService extends AbstractCamelClusterService<SingleInstanceClusterService.View> {

    private final String memberId;

    public SingleInstanceClusterService(String memberId) {
        super("single-instance");
        this.memberId = memberId;
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    final class View extends AbstractCamelClusterView {
        private final CamelClusterMember self = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return isRunAllowed();
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return memberId;
            }
        };

        View(SingleInstanceClusterService service, String namespace) {
            super(service, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return isRunAllowed() ? Optional.of(self) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }

        @Override
        protected void doStart() {
            fireLeadershipChangedEvent(self);
        }

        @Override
        protected void doStop() {
            fireLeadershipChangedEvent(Optional.empty());
        }
    }
}

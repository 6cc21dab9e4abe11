package dev.ccaasfailover.context;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InHalvesTest {

    @Test
    void resultsAreInIndexOrderForSmallAndLargeArrays() {
        for (int n : new int[]{0, 1, InHalves.MIN_PARALLEL - 1, InHalves.MIN_PARALLEL, 500, 501}) {
            assertThat(InHalves.map(n, i -> i * 2)).containsExactlyElementsOf(IntStream.range(0, n).map(i -> i * 2).boxed().toList());
        }
    }

    @Test
    void theLowestFailingIndexIsReportedAsALoopWould() {
        // Bad elements in both halves: the first half's is the one a loop from 0 meets first.
        assertThatThrownBy(() -> InHalves.map(500, i -> {
            if (i == 30 || i == 400) {
                throw new IllegalArgumentException("bad [" + i + "]");
            }
            return i;
        })).hasMessage("bad [30]");
        // Two bad elements in the second half: its lower one.
        assertThatThrownBy(() -> InHalves.map(500, i -> {
            if (i == 260 || i == 499) {
                throw new IllegalArgumentException("bad [" + i + "]");
            }
            return i;
        })).hasMessage("bad [260]");
    }

    @Test
    void everyIndexIsMappedExactlyOnce() {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        List<Integer> out = InHalves.map(500, i -> {
            assertThat(seen.add(i)).as("index %d mapped twice", i).isTrue();
            return i;
        });
        assertThat(out).hasSize(500);
        assertThat(seen).hasSize(500);
    }
}

package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The environment setter behind {@link OpenMpWaitPolicy}: sets what is unset, never replaces what the user set. */
class OpenMpWaitPolicyTest {
    @Test
    void setsOnlyWhatIsUnsetAndSaysWhatItDid() {
        String user = System.getenv(OpenMpWaitPolicy.VARIABLE); // Java's copy of the environment as the process started
        OpenMpWaitPolicy.Outcome o = OpenMpWaitPolicy.passiveUnlessSet();
        boolean linux = System.getProperty("os.name").toLowerCase().startsWith("linux") && System.getProperty("os.arch").equals("amd64");
        if (!linux || "false".equals(System.getProperty("cimq.native"))) {
            assertFalse(o.applied(), o.description());
            assertTrue(o.description().startsWith("OMP_WAIT_POLICY left as it is ("), o.description());
            return;
        }
        assertEquals(user == null ? "PASSIVE" : user, OpenMpWaitPolicy.current(OpenMpWaitPolicy.VARIABLE), o.description());
        assertEquals(user == null, o.applied(), o.description());
        OpenMpWaitPolicy.Outcome again = OpenMpWaitPolicy.passiveUnlessSet();
        assertFalse(again.applied());
        assertEquals("OMP_WAIT_POLICY=" + (user == null ? "PASSIVE" : user) + " (already set)", again.description());
        assertEquals("OMP_WAIT_POLICY=" + (user == null ? "PASSIVE" : user), OpenMpWaitPolicy.describe());
        String name = "CIMQ_TEST_" + System.nanoTime();
        assertEquals(1, OpenMpWaitPolicy.setIfUnset(name, "first"));
        assertEquals("first", OpenMpWaitPolicy.current(name));
        assertEquals(0, OpenMpWaitPolicy.setIfUnset(name, "second"), "a set variable is left alone");
        assertEquals("first", OpenMpWaitPolicy.current(name));
        assertEquals(0, OpenMpWaitPolicy.setIfUnset("PATH", "/nowhere"));
        assertEquals(System.getenv("PATH"), OpenMpWaitPolicy.current("PATH"));
    }
}

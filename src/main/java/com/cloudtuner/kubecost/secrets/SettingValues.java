package com.cloudtuner.kubecost.secrets;

import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/** Where the values of settings are read from: the places given before binding, or the bound configuration. */
interface SettingValues {

    /** Every value {@code setting} (a canonical name, e.g. {@code thanos.bearer-token}) is given. */
    List<String> values(String setting);

    /** The entries of every list {@code setting} is given: a comma-separated value, or indexed names. */
    List<String> entries(String setting);

    /** The configuration as the application bound it (config files included, which the places before binding do not read). */
    static SettingValues bound(Environment environment) {
        Binder binder = Binder.get(environment);
        return new SettingValues() {
            @Override
            public List<String> values(String setting) {
                return binder.bind(setting, String.class).map(List::of).orElse(List.of());
            }

            @Override
            public List<String> entries(String setting) {
                return binder.bind(setting, Bindable.listOf(String.class)).orElse(List.of());
            }
        };
    }
}

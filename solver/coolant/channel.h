/* channel.h - rectangular micro-channel correlations: fully developed
 * laminar Nu and f Re (Shah & London 1978), straight-fin efficiency. Pure
 * functions; sources in channel.c. */
#ifndef EBSIM_CHANNEL_H
#define EBSIM_CHANNEL_H

/* Fully developed laminar Nusselt number, rectangular duct, H1 boundary
 * condition, aspect ratio alpha = short/long side (Shah & London 1978). */
double Channel_nu_h1(double alpha);
/* Fanning f*Re, same duct (Shah & London 1978). */
double Channel_fre(double alpha);
/* Straight fin, adiabatic tip: tanh(mH)/(mH), m = sqrt(2 h / (k t)). */
double Channel_fin_efficiency(double h_w_m2k, double k_w_mk, double t_m, double height_m);

#endif
